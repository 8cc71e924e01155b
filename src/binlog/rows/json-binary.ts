// MySQL JSON binary format (MYSQL_TYPE_JSON column values): mysql-server sql-common/json_binary.cc and
// json_binary.h (parse_binary, parse_value, parse_scalar, Value::element / Value::key), 8.4 / 9.x.
//   doc        type u8, value                       (an empty doc is the JSON null literal)
//   object     count, size, key entries, value entries, keys, values
//   array      count, size, value entries, values
//              count/size/offsets are u16 LE (small, types 0x00/0x02) or u32 LE (large, 0x01/0x03);
//              offsets are relative to the byte after the container's type byte.
//   key entry  offset, length u16
//   value ent. type u8, then offset, or the value itself when inlined: literal, int16, uint16 (small
//              and large), int32, uint32 (large only)
//   literal    u8: 0 null, 1 true, 2 false
//   int16/uint16/int32/uint32/int64/uint64 LE, double f64 LE
//   string     length (7 bits a byte, LE, high bit = more, at most 5 bytes), utf8mb4 bytes
//   opaque     field type u8 (MYSQL_TYPE_*), length as for strings, data:
//              NEWDECIMAL: precision u8, scale u8, decimal binary (strings/decimal.cc);
//              DATE/TIME/DATETIME/TIMESTAMP: packed longlong i64 LE (my_time.cc TIME_to_longlong_packed);
//              VAR_STRING: text printed as a string; any other type prints as "base64:type<N>:<base64>".
// Text form: sql-common/json_dom.cc wrapper_to_string (`{"a": 1, "b": [1, 2.5]}`), double_quote /
// escape_character (\" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx, nothing else escaped),
// doubles through strings/dtoa.cc my_gcvt(width MY_GCVT_MAX_FIELD_WIDTH = 34) plus ".0" when the result
// has neither "." nor "e"; temporal values with 6 fraction digits; mysys/base64.cc (a "\n" every 76 chars).
// PARTIAL_UPDATE_ROWS JSON diffs: sql/json_diff.cc Json_diff_vector::read_binary.
//
// Malformed input (offsets outside the value, an unknown type byte, truncation, nesting deeper than
// MySQL's JSON_DOCUMENT_MAX_DEPTH = 100, values referenced more than once) throws DecodeError
// ERR_BAD_VALUE; the walk is bounded by the input size.
import { DecodeError, ErrorCode } from '../../errors.js';
import { Cursor } from '../cursor.js';
import { decodeJsonDecimal, jsonDecimalBinarySize } from './decimal.js';
import { jsonDoubleToText, mysqlBase64, quoteJsonString } from './json-text.js';
import { formatPackedTemporal } from './temporal.js';
import { shortUtf8Text, StringCache, utf8Text } from './buffer-text.js';
import type { ObjectShapes } from './object-shapes.js';

export { jsonDoubleToText, quoteJsonString } from './json-text.js';

/** A decoded JSON document: integers past 2^53 as `bigint`, decimals as exact `string`s. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [k: string]: JsonValue };

/** One change of a partial JSON update (`JSON_SET`, `JSON_REPLACE`, `JSON_REMOVE` on MySQL 8.0+). */
export interface JsonDiff {
  op: 'replace' | 'insert' | 'remove';
  /** The JSON path the server logged, e.g. `$.a[1]`. */
  path: string;
  /** The new value (replace / insert). */
  value?: JsonValue;
  /** The new value as MySQL prints it (replace / insert). */
  text?: string;
}

const SMALL_OBJECT = 0x00;
const LARGE_OBJECT = 0x01;
const SMALL_ARRAY = 0x02;
const LARGE_ARRAY = 0x03;
const LITERAL = 0x04;
const INT16 = 0x05;
const UINT16 = 0x06;
const INT32 = 0x07;
const UINT32 = 0x08;
const INT64 = 0x09;
const UINT64 = 0x0a;
const DOUBLE = 0x0b;
const STRING = 0x0c;
const OPAQUE = 0x0f;

const MYSQL_TYPE_TIMESTAMP = 7;
const MYSQL_TYPE_DATE = 10;
const MYSQL_TYPE_TIME = 11;
const MYSQL_TYPE_DATETIME = 12;
const MYSQL_TYPE_NEWDECIMAL = 246;
const MYSQL_TYPE_VAR_STRING = 253;

/** JSON_DOCUMENT_MAX_DEPTH (sql-common/json_syntax_check.h). */
export const JSON_MAX_DEPTH = 100;

const DIFF_OPS = ['replace', 'insert', 'remove'] as const;

/** Walks one binary document; `text` selects the output (CAST(j AS CHAR) text or JS values). */
class Walker {
  buf: Buffer;
  base: number;
  /** Nodes plus string bytes still allowed: a valid document visits each of its bytes once. */
  budget: number;

  /** caches the object keys (repeated across the rows of a column) */
  readonly keys: StringCache | undefined;
  /** the same for the text: keys quoted (a StringCache made with quoteJsonString) */
  readonly textKeys: StringCache | undefined;

  /** builds the objects (their members gathered on its stacks first) */
  readonly shapes: ObjectShapes | undefined;

  constructor(
    buf: Buffer,
    start: number,
    end: number,
    base: number,
    keys?: StringCache,
    textKeys?: StringCache,
    shapes?: ObjectShapes,
  ) {
    this.buf = buf;
    this.base = base;
    this.keys = keys;
    this.textKeys = textKeys;
    this.shapes = shapes;
    this.budget = 2 * (end - start) + 16;
  }

  /** Points the walker at another document (a column's walker serves each of its documents in turn). */
  reset(buf: Buffer, start: number, end: number, base: number): void {
    this.buf = buf;
    this.base = base;
    this.budget = 2 * (end - start) + 16;
  }

  fail(p: number, what: string): DecodeError {
    return new DecodeError(
      ErrorCode.ERR_BAD_VALUE,
      `malformed JSON binary at offset ${this.base + p}: ${what}`,
      {
        offset: this.base + p,
      },
    );
  }

  spend(p: number, n: number): void {
    this.budget -= n;
    if (this.budget < 0) throw this.fail(p, 'values overlap (the same bytes are referenced more than once)');
  }

  /** read_variable_length: returns [length, bytes used]. */
  varLength(p: number, end: number): number {
    let len = 0;
    const max = Math.min(end - p, 5);
    for (let i = 0; i < max; i++) {
      const b = this.buf[p + i];
      len += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (len > 0xffffffff) throw this.fail(p, 'variable-length size above 4 GiB');
        this.varBytes = i + 1;
        return len;
      }
    }
    throw this.fail(p, 'truncated variable-length size');
  }
  varBytes = 0;

  /** Value of type `type` stored at [p, end). */
  value(type: number, p: number, end: number, depth: number): JsonValue {
    switch (type) {
      case SMALL_OBJECT:
      case LARGE_OBJECT:
      case SMALL_ARRAY:
      case LARGE_ARRAY:
        return this.container(type, p, end, depth);
      default:
        return this.scalar(type, p, end);
    }
  }

  text(type: number, p: number, end: number, depth: number): string {
    switch (type) {
      case SMALL_OBJECT:
      case LARGE_OBJECT:
      case SMALL_ARRAY:
      case LARGE_ARRAY:
        return this.containerText(type, p, end, depth);
      case DOUBLE:
        this.need(p, end, 8);
        this.spend(p, 1);
        return jsonDoubleToText(this.buf.readDoubleLE(p));
      case STRING: {
        const len = this.varLength(p, end);
        const s = p + this.varBytes;
        this.need(s, end, len);
        this.spend(p, 1 + len);
        return quoteJsonString(utf8Text(this.buf, s, s + len));
      }
      case OPAQUE:
        return this.opaque(p, end, true);
      default: {
        // Literals and integers: scalar() returns a primitive for these types.
        const v = this.scalar(type, p, end) as boolean | number | bigint | null;
        return v === null ? 'null' : String(v);
      }
    }
  }

  need(p: number, end: number, n: number): void {
    if (end - p < n) throw this.fail(p, `truncated value (need ${n} bytes, ${Math.max(0, end - p)} left)`);
  }

  /** The literal whose byte is at p: null, true or false. */
  literal(p: number): boolean | null {
    const b = this.buf[p];
    if (b > 2) throw this.fail(p, `unknown literal 0x${b.toString(16)}`);
    return b === 0 ? null : b === 1;
  }

  scalar(type: number, p: number, end: number): JsonValue {
    const buf = this.buf;
    this.spend(p, 1);
    switch (type) {
      case LITERAL:
        this.need(p, end, 1);
        return this.literal(p);
      case INT16:
        this.need(p, end, 2);
        return buf.readInt16LE(p);
      case UINT16:
        this.need(p, end, 2);
        return buf.readUInt16LE(p);
      case INT32:
        this.need(p, end, 4);
        return buf.readInt32LE(p);
      case UINT32:
        this.need(p, end, 4);
        return buf.readUInt32LE(p);
      case INT64: {
        this.need(p, end, 8);
        const hi = buf.readInt32LE(p + 4);
        const lo = buf.readUInt32LE(p);
        // Exact as a number within ±(2^53 - 1); beyond, a bigint.
        if (hi >= -0x200000 && hi < 0x200000 && !(hi === -0x200000 && lo === 0)) return hi * 0x100000000 + lo;
        return buf.readBigInt64LE(p);
      }
      case UINT64: {
        this.need(p, end, 8);
        const hi = buf.readUInt32LE(p + 4);
        if (hi < 0x200000) return hi * 0x100000000 + buf.readUInt32LE(p);
        return buf.readBigUInt64LE(p);
      }
      case DOUBLE:
        this.need(p, end, 8);
        return buf.readDoubleLE(p);
      case STRING: {
        const len = this.varLength(p, end);
        const s = p + this.varBytes;
        this.need(s, end, len);
        this.spend(p, len);
        return shortUtf8Text(buf, s, s + len);
      }
      case OPAQUE:
        return this.opaque(p, end, false);
      default:
        throw this.fail(p, `unknown JSON value type 0x${type.toString(16)}`);
    }
  }

  /** Opaque value: its string value, or (quoted) its text. */
  opaque(p: number, end: number, quoted: boolean): string {
    this.need(p, end, 1);
    const fieldType = this.buf[p];
    const len = this.varLength(p + 1, end);
    const s = p + 1 + this.varBytes;
    this.need(s, end, len);
    this.spend(p, 1 + len);
    const e = s + len;
    switch (fieldType) {
      case MYSQL_TYPE_NEWDECIMAL: {
        // Json_decimal::convert_from_binary: precision, scale, then exactly decimal_bin_size bytes.
        if (len < 2) throw this.fail(p, 'opaque DECIMAL without precision and scale');
        const precision = this.buf[s];
        const scale = this.buf[s + 1];
        const size = jsonDecimalBinarySize(precision, scale);
        if (size < 0) throw this.fail(p, `opaque DECIMAL(${precision},${scale}) is not decodable`);
        if (size !== len - 2) throw this.fail(p, `opaque DECIMAL(${precision},${scale}) of ${len - 2} bytes`);
        // Decimals are JSON numbers in the text, strings in the value.
        return decodeJsonDecimal(new Cursor(this.buf, s + 2, e, this.base), precision, scale);
      }
      case MYSQL_TYPE_VAR_STRING: {
        // wrapper_to_string treats an opaque VAR_STRING as a plain JSON string.
        const str = utf8Text(this.buf, s, e);
        return quoted ? quoteJsonString(str) : str;
      }
      case MYSQL_TYPE_DATE:
      case MYSQL_TYPE_TIME:
      case MYSQL_TYPE_DATETIME:
      case MYSQL_TYPE_TIMESTAMP: {
        // Json_datetime::from_packed reads exactly PACKED_SIZE (8) bytes.
        if (len !== 8) throw this.fail(p, `opaque temporal value of ${len} bytes (expected 8)`);
        const t = formatPackedTemporal(this.buf, s, fieldType) as string;
        return quoted ? '"' + t + '"' : t;
      }
      default: {
        const str = 'base64:type' + fieldType + ':' + mysqlBase64(this.buf, s, e);
        return quoted ? quoteJsonString(str) : str;
      }
    }
  }

  /**
   * Checks a container's header (parse_array_or_object) at p: depth, count and size against the bytes
   * there; returns the entry count, sets `size`.
   */
  open(type: number, p: number, end: number, depth: number): number {
    if (depth + 1 > JSON_MAX_DEPTH) throw this.fail(p, `nesting deeper than ${JSON_MAX_DEPTH}`);
    const buf = this.buf;
    const large = type === LARGE_OBJECT || type === LARGE_ARRAY;
    const os = large ? 4 : 2;
    if (end - p < 2 * os) this.need(p, end, 2 * os);
    const count = large ? buf.readUInt32LE(p) : buf[p] | (buf[p + 1] << 8);
    const size = large ? buf.readUInt32LE(p + 4) : buf[p + 2] | (buf[p + 3] << 8);
    if (size > end - p) throw this.fail(p, `container size ${size} exceeds the ${end - p} bytes available`);
    const isObject = type === SMALL_OBJECT || type === LARGE_OBJECT;
    const entries = 2 * os + count * ((isObject ? os + 2 : 0) + 1 + os);
    if (entries > size) throw this.fail(p, `container header of ${count} entries exceeds its size ${size}`);
    this.spend(p, count + 1);
    this.size = size;
    return count;
  }
  size = 0;

  /** Key i of the object at p (Value::key): returns where its bytes start; sets keyLen. */
  keyAt(p: number, i: number, count: number, large: boolean, size: number): number {
    const buf = this.buf;
    const os = large ? 4 : 2;
    const ke = p + 2 * os + i * (os + 2);
    const koff = large ? buf.readUInt32LE(ke) : buf[ke] | (buf[ke + 1] << 8);
    const klen = buf[ke + os] | (buf[ke + os + 1] << 8);
    if (koff < 2 * os + count * (os + 2 + 1 + os) || koff + klen > size)
      throw this.fail(ke, 'key outside its object');
    this.spend(ke, klen);
    this.keyLen = klen;
    return p + koff;
  }
  keyLen = 0;

  /**
   * Value i of the container at p (Value::element): returns where it starts (in its entry when inlined:
   * literals, int16/uint16, and int32/uint32 of large containers); sets valueType and valueEnd.
   */
  valueAt(p: number, i: number, count: number, large: boolean, isObject: boolean, size: number): number {
    const buf = this.buf;
    const os = large ? 4 : 2;
    const ve = p + 2 * os + (isObject ? count * (os + 2) : 0) + i * (1 + os);
    const vt = buf[ve];
    this.valueType = vt;
    if (vt === LITERAL || vt === INT16 || vt === UINT16 || (large && (vt === INT32 || vt === UINT32))) {
      this.valueEnd = ve + 1 + os;
      return ve + 1;
    }
    const voff = large ? buf.readUInt32LE(ve + 1) : buf[ve + 1] | (buf[ve + 2] << 8);
    if (voff > size || voff < ve - p + 1 + os) throw this.fail(ve, 'value offset outside its container');
    this.valueEnd = p + size;
    return p + voff;
  }
  valueType = 0;
  valueEnd = 0;

  /**
   * An object or array as JS values: the hot path of every JSON column, so the entries are read here
   * with the checks of keyAt() and valueAt() inlined (a third faster than calling them).
   */
  container(type: number, p: number, end: number, depth: number): JsonValue {
    const count = this.open(type, p, end, depth);
    const size = this.size;
    const buf = this.buf;
    const large = type === LARGE_OBJECT || type === LARGE_ARRAY;
    const isObject = type === SMALL_OBJECT || type === LARGE_OBJECT;
    const os = large ? 4 : 2;
    const keyEntry = isObject ? os + 2 : 0;
    const valuesAt = 2 * os + count * keyEntry;
    const cEnd = p + size;
    const keys = this.keys;
    // members go on the shapes' stacks (nested objects above them), the object is made at the end
    const shapes = isObject ? this.shapes : undefined;
    const base = shapes === undefined ? 0 : shapes.top;
    if (shapes !== undefined) shapes.top = base + count;
    const shapeKeys = shapes?.keys;
    const shapeValues = shapes?.values;
    const obj: { [k: string]: JsonValue } | undefined = isObject && shapes === undefined ? {} : undefined;
    const arr = isObject ? undefined : new Array<JsonValue>(count);
    // key bytes are paid for once per container (a container reached twice pays again in open())
    let keyBytes = 0;
    for (let i = 0; i < count; i++) {
      let k = '';
      if (isObject) {
        const ke = p + 2 * os + i * keyEntry;
        const ks = p + (large ? buf.readUInt32LE(ke) : buf[ke] | (buf[ke + 1] << 8));
        const kl = buf[ke + os] | (buf[ke + os + 1] << 8);
        if (ks - p < valuesAt + count * (1 + os) || ks + kl > cEnd)
          throw this.fail(ke, 'key outside its object');
        keyBytes += kl;
        // the key at this stack slot in the previous object is most often this one again
        const prev = shapeKeys === undefined ? undefined : shapeKeys[base + i];
        k =
          prev !== undefined && prev.length === kl && sameAscii(prev, buf, ks, kl)
            ? prev
            : keys === undefined
              ? utf8Text(buf, ks, ks + kl)
              : keys.get(buf, ks, ks + kl);
      }
      const at = p + valuesAt + i * (1 + os);
      const vt = buf[at];
      let v: JsonValue;
      // values inlined in their entry are read here, uncharged (open() counted the entries, whose bytes
      // it checked are inside the container)
      if (vt === LITERAL) {
        v = this.literal(at + 1);
      } else if (vt === INT16) {
        v = ((buf[at + 1] | (buf[at + 2] << 8)) << 16) >> 16;
      } else if (vt === UINT16) {
        v = buf[at + 1] | (buf[at + 2] << 8);
      } else if (large && vt === INT32) {
        v = buf[at + 1] | (buf[at + 2] << 8) | (buf[at + 3] << 16) | (buf[at + 4] << 24);
      } else if (large && vt === UINT32) {
        v = (buf[at + 1] | (buf[at + 2] << 8) | (buf[at + 3] << 16) | (buf[at + 4] << 24)) >>> 0;
      } else {
        const vs = p + (large ? buf.readUInt32LE(at + 1) : buf[at + 1] | (buf[at + 2] << 8));
        if (vs > cEnd || vs < at + 1 + os) throw this.fail(at, 'value offset outside its container');
        if (vt <= LARGE_ARRAY) v = this.container(vt, vs, cEnd, depth + 1);
        else if (vt === INT32 && cEnd - vs >= 4) {
          // int32 (not inlined in small containers) and short strings, the common members, read here
          // as scalar() reads them
          this.spend(vs, 1);
          v = buf[vs] | (buf[vs + 1] << 8) | (buf[vs + 2] << 16) | (buf[vs + 3] << 24);
        } else if (vt === STRING && buf[vs] < 0x80 && cEnd - vs > buf[vs]) {
          const len = buf[vs];
          this.spend(vs, 1 + len);
          v = shortUtf8Text(buf, vs + 1, vs + 1 + len);
        } else v = this.scalar(vt, vs, cEnd);
      }
      if (arr !== undefined) arr[i] = v;
      else if (shapeKeys !== undefined) {
        shapeKeys[base + i] = k;
        shapeValues![base + i] = v;
      } else if (k === '__proto__')
        Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
      else (obj as { [k: string]: JsonValue })[k] = v;
    }
    if (keyBytes > 0) this.spend(p, keyBytes);
    if (shapes !== undefined) {
      shapes.top = base;
      return shapes.make(base, count);
    }
    return arr ?? (obj as { [k: string]: JsonValue });
  }

  /** An object or array as MySQL's text. */
  containerText(type: number, p: number, end: number, depth: number): string {
    const count = this.open(type, p, end, depth);
    const size = this.size;
    const large = type === LARGE_OBJECT || type === LARGE_ARRAY;
    const isObject = type === SMALL_OBJECT || type === LARGE_OBJECT;
    const keys = this.textKeys;
    let out = isObject ? '{' : '[';
    for (let i = 0; i < count; i++) {
      if (i > 0) out += ', ';
      if (isObject) {
        const ks = this.keyAt(p, i, count, large, size);
        const ke = ks + this.keyLen;
        out +=
          (keys === undefined ? quoteJsonString(utf8Text(this.buf, ks, ke)) : keys.get(this.buf, ks, ke)) +
          ': ';
      }
      const vs = this.valueAt(p, i, count, large, isObject, size);
      out += this.text(this.valueType, vs, this.valueEnd, depth + 1);
    }
    return out + (isObject ? '}' : ']');
  }
}

/** `s` is ASCII and its char codes are the `len` bytes at `start`. */
function sameAscii(s: string, buf: Buffer, start: number, len: number): boolean {
  for (let i = 0; i < len; i++) {
    const b = buf[start + i];
    if (b >= 0x80 || s.charCodeAt(i) !== b) return false;
  }
  return true;
}

/**
 * One JSON column's decoder: its documents' keys and object shapes (they repeat from row to row), and
 * one walker reused for every document.
 */
export class JsonColumnDecoder {
  private readonly walker: Walker;
  private readonly shapes: ObjectShapes;

  constructor(shapes: ObjectShapes, keys: StringCache = new StringCache()) {
    this.shapes = shapes;
    this.walker = new Walker(EMPTY, 0, 0, 0, keys, undefined, shapes);
  }

  /** decodeJsonBinary with this column's caches. */
  decode(buf: Buffer, start: number, end: number, baseOffset: number): JsonValue {
    const w = this.walker;
    w.reset(buf, start, end, baseOffset);
    try {
      return walkDocument(w, buf, start, end, this.shapes);
    } finally {
      // keeps no event's bytes alive between documents
      w.buf = EMPTY;
    }
  }
}

const EMPTY = Buffer.alloc(0);

/** The document at [start, end) through walker `w` (an empty one is JSON null). */
function walkDocument(w: Walker, buf: Buffer, start: number, end: number, shapes?: ObjectShapes): JsonValue {
  if (end <= start) return null;
  // a document that failed part way left its members on the stacks
  if (shapes !== undefined) shapes.top = 0;
  return w.value(buf[start], start + 1, end, 0);
}

/**
 * Decodes a JSON binary value (the bytes of a JSON column, without its length prefix) into a JS value:
 * objects (member order as stored, except that JS lists integer-like keys first), arrays, strings,
 * booleans, null, numbers; int64/uint64 outside ±(2^53 - 1) as bigint; opaque DECIMAL as its exact
 * string; opaque DATE/TIME/DATETIME/TIMESTAMP as the string MySQL prints; other opaque values as MySQL's
 * "base64:type<N>:…" string. An empty value is JSON null (json_binary::parse_binary).
 * `baseOffset` is added to `buf` positions in error offsets; `keys` (one per column) saves decoding the
 * object keys that repeat from row to row, and `shapes` (one per column) builds the objects whose key
 * lists repeat with a literal each.
 */
export function decodeJsonBinary(
  buf: Buffer,
  start: number,
  end: number,
  baseOffset = 0,
  keys?: StringCache,
  shapes?: ObjectShapes,
): JsonValue {
  return walkDocument(
    new Walker(buf, start, end, baseOffset, keys, undefined, shapes),
    buf,
    start,
    end,
    shapes,
  );
}

/**
 * The text MySQL prints for a JSON binary value: exactly `SELECT CAST(col AS CHAR)`. `quotedKeys` (one per
 * column, made with `new StringCache(256, quoteJsonString)`) saves decoding and quoting repeated keys.
 */
export function jsonBinaryToText(
  buf: Buffer,
  start: number,
  end: number,
  baseOffset = 0,
  quotedKeys?: StringCache,
): string {
  if (end <= start) return 'null';
  const w = new Walker(buf, start, end, baseOffset, undefined, quotedKeys);
  return w.text(buf[start], start + 1, end, 0);
}

/**
 * Reads the JSON diffs of one partially updated JSON column in a PARTIAL_UPDATE_ROWS after-image
 * (Json_diff_vector::read_binary): u32 LE byte length, then per diff: operation u8 (0 replace, 1 insert,
 * 2 remove), path length (lenenc) and path, and for replace/insert the value length (lenenc) and the JSON
 * binary value. The cursor ends after the diffs.
 */
export function decodeJsonDiffs(cur: Cursor): JsonDiff[] {
  cur.need(4);
  const length = cur.u32();
  const body = cur.sub(length);
  const out: JsonDiff[] = [];
  while (body.remaining > 0) {
    body.need(1);
    const at = body.offset;
    const code = body.u8();
    const op = DIFF_OPS[code];
    if (op === undefined) {
      throw new DecodeError(ErrorCode.ERR_BAD_VALUE, `unknown JSON diff operation ${code} at offset ${at}`, {
        offset: at,
      });
    }
    const pathLen = lenencLength(body);
    const path = body.utf8(pathLen);
    if (op === 'remove') {
      out.push({ op, path });
      continue;
    }
    const valueLen = lenencLength(body);
    const vbase = body.base;
    const vstart = body.pos;
    body.skip(valueLen);
    out.push({
      op,
      path,
      value: decodeJsonBinary(body.buf, vstart, vstart + valueLen, vbase),
      text: jsonBinaryToText(body.buf, vstart, vstart + valueLen, vbase),
    });
  }
  return out;
}

function lenencLength(cur: Cursor): number {
  const at = cur.offset;
  const n = cur.lenencOrNull();
  if (n === null)
    throw new DecodeError(ErrorCode.ERR_BAD_VALUE, `NULL length in a JSON diff at offset ${at}`, {
      offset: at,
    });
  return n;
}
