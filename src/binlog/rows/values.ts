// Row value readers, one per column type (lookup array indexed by the real type), following
// mysql-server sql/field.cc Field_*::unpack and sql/log_event.cc log_event_print_value, 9.x.
//   TINY/SHORT/INT24/LONG  1/2/3/4 bytes LE; LONGLONG 8 bytes LE (bigint); signed unless metadata says unsigned
//   FLOAT 4 / DOUBLE 8 bytes IEEE LE
//   NEWDECIMAL  decimal.ts (meta = precision << 8 | scale)
//   YEAR DATE TIME TIME2 DATETIME DATETIME2 TIMESTAMP TIMESTAMP2  temporal.ts (meta = fsp for the *2 types)
//   MariaDB TIME DATETIME TIMESTAMP: no metadata whatever the fsp (sql/field.h Field::binlog_type_info,
//               which Field_time_hires / Field_datetime_hires / Field_timestamp_hires keep); fsp 1-6 is
//               MariaDB's hires layout, wider than fsp 0: the fsp must come from the schema (below)
//   VARCHAR/VAR_STRING  length u8 (max length < 256) or u16, bytes
//   STRING      length u8 (max byte length < 256) or u16, bytes; ENUM 1-2 / SET 1-8 bytes LE when the real
//               type is ENUM/SET
//   BIT         (bits + 7) / 8 bytes big-endian (meta = bytes << 8 | extra bits)
//   BLOB GEOMETRY JSON VECTOR  length in meta (1-4) bytes LE, then the data
//   MariaDB BLOB_COMPRESSED (140) / VARCHAR_COMPRESSED (141): as BLOB / VARCHAR, the data is a compressed
//               column value (compressed-column.ts)
// Strings with a known charset (not binary) are text; else bytes, or text in `assumeCharset`.
import { DecodeError, ErrorCode } from '../../errors.js';
import { ColumnType as C } from '../constants.js';
import type { Cursor } from '../cursor.js';
import { isFsp, type ResolvedOptions } from '../options.js';
import type { ColumnDef } from '../types.js';
import { decodeText } from './charsets.js';
import { shortUtf8Text, StringCache } from './buffer-text.js';
import { decimalBinarySize, decodeDecimal } from './decimal.js';
import { decodeVector } from './geometry.js';
import { FIXED_LENGTH, mariadbFixedText, type MariadbFixedType } from './mariadb-fixed.js';
import { uncompressColumn } from './compressed-column.js';
import { JsonColumnDecoder, jsonBinaryToText, quoteJsonString } from './json-binary.js';
import { JsonText, type RowValue } from './row-types.js';
import { ObjectShapes } from './object-shapes.js';
import { stringRealType } from './columns.js';
import {
  dateTextCache,
  type DateTextCache,
  decodeDate,
  decodeDatetime,
  decodeDatetime2,
  decodeMariadbDatetimeHires,
  decodeMariadbTimeHires,
  decodeMariadbTimestampHires,
  decodeTime,
  decodeTime2,
  decodeTimestamp,
  decodeTimestamp2,
  decodeValidDatetime,
  decodeValidTime,
  decodeYear,
} from './temporal.js';

export type ValueReader = (cur: Cursor, p: ColumnPlan) => RowValue;

export interface ColumnPlan {
  key: string;
  /** the key is '__proto__': set it with defineProperty */
  protoKey: boolean;
  read: ValueReader;
  type: number;
  realType: number;
  /** integers: unsigned; */
  unsigned: boolean;
  /** text charset for string-family values; undefined → bytes */
  text: string | undefined;
  /** text is utf8mb4 / utf8mb3 */
  utf8: boolean;
  /** length-prefix bytes (VARCHAR, STRING, BLOB family), pack length (ENUM/SET), byte count (BIT) */
  lenBytes: number;
  /** BINARY(n): the server strips the trailing 0x00 pad before logging; put it back to n bytes */
  padTo: number;
  precision: number;
  scale: number;
  fsp: number;
  /**
   * MariaDB old-format TIME/DATETIME/TIMESTAMP read as precision 0 because neither the binlog nor a
   * schema told it: what the column is, for the error when a row does not fit that guess
   */
  fspGuess: { what: string; label: string } | undefined;
  enumValues: string[] | undefined;
  setValues: string[] | undefined;
  json: 'value' | 'text' | 'both';
  /** DATE, TIME2, DATETIME2, TIMESTAMP2: the text of the column's previous value (temporal.ts) */
  dates: DateTextCache;
  /** JSON: the decoder of this column's documents (their keys and objects repeat from row to row) */
  jsonValues: JsonColumnDecoder | undefined;
  /** JSON: the quoted text of the object keys seen in this column's documents */
  jsonTextKeys: StringCache | undefined;
}

function readLen(cur: Cursor, n: number): number {
  cur.need(n);
  switch (n) {
    case 1:
      return cur.u8();
    case 2:
      return cur.u16();
    case 3:
      return cur.u24();
    default:
      return cur.u32();
  }
}

function stringValue(cur: Cursor, len: number, p: ColumnPlan): RowValue {
  cur.need(len);
  const start = cur.pos;
  cur.pos += len;
  if (p.text === undefined) return cur.buf.subarray(start, start + len);
  // utf8mb4/utf8mb3 are UTF-8: short ASCII text made in JS, the rest by Buffer's own decoder (U+FFFD
  // for invalid bytes, as decodeText does), called directly to skip toString's argument handling
  if (p.utf8) return shortUtf8Text(cur.buf, start, start + len);
  return decodeText(cur.buf, start, start + len, p.text);
}

const READERS: (ValueReader | undefined)[] = new Array<ValueReader | undefined>(256);
READERS[C.MYSQL_TYPE_TINY] = (c, p) => {
  c.need(1);
  return p.unsigned ? c.u8() : c.i8();
};
READERS[C.MYSQL_TYPE_SHORT] = (c, p) => {
  c.need(2);
  return p.unsigned ? c.u16() : c.i16();
};
READERS[C.MYSQL_TYPE_INT24] = (c, p) => {
  c.need(3);
  return p.unsigned ? c.u24() : c.i24();
};
READERS[C.MYSQL_TYPE_LONG] = (c, p) => {
  c.need(4);
  return p.unsigned ? c.u32() : c.i32();
};
READERS[C.MYSQL_TYPE_LONGLONG] = (c, p) => {
  c.need(8);
  return p.unsigned ? c.u64() : c.i64();
};
READERS[C.MYSQL_TYPE_FLOAT] = (c) => {
  c.need(4);
  return c.f32();
};
READERS[C.MYSQL_TYPE_DOUBLE] = (c) => {
  c.need(8);
  return c.f64();
};
READERS[C.MYSQL_TYPE_NEWDECIMAL] = (c, p) => decodeDecimal(c, p.precision, p.scale);
READERS[C.MYSQL_TYPE_YEAR] = (c) => decodeYear(c);
READERS[C.MYSQL_TYPE_DATE] = (c, p) => decodeDate(c, p.dates);
READERS[C.MYSQL_TYPE_NEWDATE] = (c, p) => decodeDate(c, p.dates);
READERS[C.MYSQL_TYPE_TIME] = (c) => decodeTime(c);
READERS[C.MYSQL_TYPE_TIME2] = (c, p) => decodeTime2(c, p.fsp, p.dates);
READERS[C.MYSQL_TYPE_DATETIME] = (c) => decodeDatetime(c);
READERS[C.MYSQL_TYPE_DATETIME2] = (c, p) => decodeDatetime2(c, p.fsp, p.dates);
READERS[C.MYSQL_TYPE_TIMESTAMP] = (c) => decodeTimestamp(c);
READERS[C.MYSQL_TYPE_TIMESTAMP2] = (c, p) => decodeTimestamp2(c, p.fsp, p.dates);
const varString: ValueReader = (c, p) => stringValue(c, readLen(c, p.lenBytes), p);
READERS[C.MYSQL_TYPE_VARCHAR] = varString;
READERS[C.MYSQL_TYPE_VAR_STRING] = varString;
READERS[C.MYSQL_TYPE_STRING] = (c, p) => {
  const len = readLen(c, p.lenBytes);
  if (len >= p.padTo) return stringValue(c, len, p);
  // BINARY(n) (Field_string::unpack pads with the charset's pad char, 0x00 for binary)
  c.need(len);
  const out = Buffer.alloc(p.padTo);
  c.buf.copy(out, 0, c.pos, c.pos + len);
  c.pos += len;
  return out;
};
READERS[C.MYSQL_TYPE_BLOB] = varString;
READERS[C.MYSQL_TYPE_TINY_BLOB] = varString;
READERS[C.MYSQL_TYPE_MEDIUM_BLOB] = varString;
READERS[C.MYSQL_TYPE_LONG_BLOB] = varString;
const compressedString: ValueReader = (c, p) => {
  const len = readLen(c, p.lenBytes);
  c.need(len);
  const at = c.pos;
  c.pos += len;
  const raw = uncompressColumn(c.buf, at, at + len, c.base);
  if (p.text === undefined) return raw;
  return decodeText(raw, 0, raw.length, p.text);
};
READERS[C.MYSQL_TYPE_BLOB_COMPRESSED] = compressedString;
READERS[C.MYSQL_TYPE_VARCHAR_COMPRESSED] = compressedString;
READERS[C.MYSQL_TYPE_GEOMETRY] = (c, p) => c.bytes(readLen(c, p.lenBytes));
READERS[C.MYSQL_TYPE_ENUM] = (c, p) => {
  const idx = readLen(c, p.lenBytes);
  if (p.enumValues === undefined) return idx;
  if (idx === 0) return '';
  // an index past the known members (schema changed since): keep the number rather than invent a name
  return p.enumValues[idx - 1] ?? idx;
};
READERS[C.MYSQL_TYPE_SET] = (c, p) => {
  const n = p.lenBytes;
  c.need(n);
  const start = c.pos;
  c.pos += n;
  const b = c.buf;
  if (p.setValues === undefined) {
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[start + i]);
    return v;
  }
  const out: string[] = [];
  const members = p.setValues;
  for (let i = 0; i < n * 8; i++) {
    if ((b[start + (i >> 3)] & (1 << (i & 7))) === 0) continue;
    if (i >= members.length) {
      // a bit past the known members (schema changed since), as ENUM keeps its index: the whole bitmask,
      // rather than a list without that member
      let v = 0n;
      for (let j = n - 1; j >= 0; j--) v = (v << 8n) | BigInt(b[start + j]);
      return v;
    }
    out.push(members[i]);
  }
  return out;
};
READERS[C.MYSQL_TYPE_BIT] = (c, p) => {
  const n = p.lenBytes;
  c.need(n);
  const b = c.buf;
  let v = 0n;
  if (n <= 6) {
    v = BigInt(b.readUIntBE(c.pos, n || 1) * (n ? 1 : 0));
  } else {
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(b[c.pos + i]);
  }
  c.pos += n;
  return v;
};
READERS[C.MYSQL_TYPE_JSON] = (c, p) => {
  const len = readLen(c, p.lenBytes);
  c.need(len);
  const start = c.pos;
  c.pos += len;
  const base = c.base;
  if (p.json === 'value') return p.jsonValues!.decode(c.buf, start, start + len, base);
  const text = jsonBinaryToText(c.buf, start, start + len, base, p.jsonTextKeys);
  return new JsonText(
    text,
    p.json === 'both' ? p.jsonValues!.decode(c.buf, start, start + len, base) : undefined,
  );
};
READERS[C.MYSQL_TYPE_VECTOR] = (c, p) => {
  const len = readLen(c, p.lenBytes);
  c.need(len);
  const start = c.pos;
  c.pos += len;
  return decodeVector(c.buf, start, start + len, c.base);
};

function unknownType(type: number): ValueReader {
  return (c) => {
    throw new DecodeError(ErrorCode.ERR_UNKNOWN_COLUMN_TYPE, `unknown column type ${type}`, {
      offset: c.offset,
    });
  };
}

/** What a plan needs beyond the column's own facts (for MariaDB's old temporal formats). */
export interface PlanContext {
  flavor: 'mysql' | 'mariadb';
  /** the schema's fractional seconds precision for this column, if it gives one */
  fsp: number | undefined;
  /** `schema`.`table`, for error messages */
  table: string;
  /** the schema says MariaDB VECTOR (logged as VARBINARY) */
  vector?: boolean;
  /** the schema says MariaDB INET4, INET6 or UUID (logged as BINARY(n)) */
  mariadbFixed?: MariadbFixedType;
  /** the decode context's compiled object literals for JSON documents (object-shapes.ts) */
  jsonLiterals?: Map<string, unknown>;
}

const HIRES_READERS: (ValueReader | undefined)[] = [];
HIRES_READERS[C.MYSQL_TYPE_TIME] = (c, p) => decodeMariadbTimeHires(c, p.fsp);
HIRES_READERS[C.MYSQL_TYPE_DATETIME] = (c, p) => decodeMariadbDatetimeHires(c, p.fsp);
HIRES_READERS[C.MYSQL_TYPE_TIMESTAMP] = (c, p) => decodeMariadbTimestampHires(c, p.fsp);
const OLD_TEMPORAL_NAMES: string[] = [];
OLD_TEMPORAL_NAMES[C.MYSQL_TYPE_TIME] = 'TIME';
OLD_TEMPORAL_NAMES[C.MYSQL_TYPE_DATETIME] = 'DATETIME';
OLD_TEMPORAL_NAMES[C.MYSQL_TYPE_TIMESTAMP] = 'TIMESTAMP';

/** MariaDB's old TIME / DATETIME read as precision 0, when that reading is not a valid value. */
function notPrecision0(c: Cursor, plan: ColumnPlan): DecodeError {
  return new DecodeError(
    ErrorCode.ERR_UNKNOWN_PRECISION,
    `${plan.fspGuess?.what ?? plan.key}: the binlog does not say its fractional precision, which sets the ` +
      `value's width, and read as precision 0 its bytes are no valid ${OLD_TEMPORAL_NAMES[plan.realType]}; ` +
      'give it in values.schema (fsp, from information_schema.COLUMNS.DATETIME_PRECISION) or values.assumeFsp',
    { offset: c.offset },
  );
}

/**
 * The old TIME and DATETIME readers, checking that the bytes are a valid precision-0 value (a hires
 * value read with the wrong width almost never is). TIMESTAMP (any 4 bytes are seconds) cannot be
 * checked; a wrong width shows when the row does not fit its event (rows.ts).
 */
const GUARDED_READERS: (ValueReader | undefined)[] = [];
GUARDED_READERS[C.MYSQL_TYPE_TIME] = (c, p) => decodeValidTime(c) ?? throwError(notPrecision0(c, p));
GUARDED_READERS[C.MYSQL_TYPE_DATETIME] = (c, p) => decodeValidDatetime(c) ?? throwError(notPrecision0(c, p));
GUARDED_READERS[C.MYSQL_TYPE_TIMESTAMP] = (c) => decodeTimestamp(c);

function throwError(e: Error): never {
  throw e;
}

/**
 * A MariaDB TIME/DATETIME/TIMESTAMP with an old type code: TIME(0) … (3/8/4 bytes, the plain readers) and
 * TIME(1-6) … in MariaDB's hires layouts look the same in the table map, so the schema's fsp (else
 * values.assumeFsp) decides. Without one the column is read as precision 0, as mariadb-binlog and
 * MariaDB's own replica (rpl_utility.cc table_def::calc_field_size) do — the common case, tables from
 * before 10.0 — but checked: a TIME or DATETIME whose bytes are no valid precision-0 value, or a row
 * that does not fit its event, throws ERR_UNKNOWN_PRECISION naming the column (rows.ts).
 */
function planMariadbOldTemporal(
  plan: ColumnPlan,
  col: ColumnDef,
  pc: PlanContext,
  opts: ResolvedOptions,
): void {
  const fsp = pc.fsp ?? opts.assumeFsp;
  const type = OLD_TEMPORAL_NAMES[col.realType];
  const column = col.name === undefined ? col.key : `${col.name} (@${col.index + 1})`;
  const what = `${pc.table} column ${column}, MariaDB ${type} in its old temporal format`;
  if (fsp === undefined) {
    plan.fspGuess = { what, label: `${column} ${type}` };
    plan.read = GUARDED_READERS[col.realType]!;
  } else if (!isFsp(fsp)) {
    plan.read = (c) => {
      const msg = `${what}: the schema gives fsp ${String(fsp)}, not 0-6`;
      throw new DecodeError(ErrorCode.ERR_BAD_VALUE, msg, { offset: c.offset });
    };
  } else if (fsp > 0) {
    plan.fsp = fsp;
    plan.read = HIRES_READERS[col.realType]!;
  }
}

/** Builds the per-column decode plan (done once per table map). */
export function readerFor(col: ColumnDef, opts: ResolvedOptions, pc: PlanContext): ColumnPlan {
  const rt = col.realType;
  const meta = col.meta;
  const plan: ColumnPlan = {
    key: col.key,
    protoKey: col.key === '__proto__',
    read: READERS[rt] ?? unknownType(col.type),
    type: col.type,
    realType: rt,
    unsigned: col.unsigned === true,
    text: undefined,
    utf8: false,
    lenBytes: 0,
    padTo: 0,
    precision: 0,
    scale: 0,
    fsp: 0,
    fspGuess: undefined,
    enumValues: col.enumValues,
    setValues: col.setValues,
    json: opts.json,
    dates: dateTextCache(),
    jsonValues:
      rt === C.MYSQL_TYPE_JSON && opts.json !== 'text'
        ? new JsonColumnDecoder(new ObjectShapes(pc.jsonLiterals))
        : undefined,
    jsonTextKeys:
      rt === C.MYSQL_TYPE_JSON && opts.json !== 'value' ? new StringCache(256, quoteJsonString) : undefined,
  };
  switch (rt) {
    case C.MYSQL_TYPE_VARCHAR:
    case C.MYSQL_TYPE_VAR_STRING:
    case C.MYSQL_TYPE_VARCHAR_COMPRESSED:
      plan.lenBytes = meta < 256 ? 1 : 2;
      break;
    case C.MYSQL_TYPE_STRING: {
      const maxBytes = stringRealType(col.type, meta)[1];
      plan.lenBytes = maxBytes < 256 ? 1 : 2;
      if (col.charset === 'binary') plan.padTo = maxBytes;
      break;
    }
    case C.MYSQL_TYPE_ENUM:
    case C.MYSQL_TYPE_SET:
      plan.lenBytes = stringRealType(col.type, meta)[1];
      break;
    case C.MYSQL_TYPE_BLOB:
    case C.MYSQL_TYPE_TINY_BLOB:
    case C.MYSQL_TYPE_MEDIUM_BLOB:
    case C.MYSQL_TYPE_LONG_BLOB:
    case C.MYSQL_TYPE_GEOMETRY:
    case C.MYSQL_TYPE_JSON:
    case C.MYSQL_TYPE_VECTOR:
    case C.MYSQL_TYPE_BLOB_COMPRESSED:
      plan.lenBytes = meta;
      if (meta < 1 || meta > 4) plan.read = badLength(rt, meta);
      break;
    case C.MYSQL_TYPE_BIT: {
      const bits = (meta >> 8) * 8 + (meta & 0xff);
      plan.lenBytes = (bits + 7) >> 3;
      break;
    }
    case C.MYSQL_TYPE_NEWDECIMAL:
      plan.precision = meta >> 8;
      plan.scale = meta & 0xff;
      if (
        plan.precision === 0 ||
        plan.scale > plan.precision ||
        decimalBinarySize(plan.precision, plan.scale) <= 0
      ) {
        plan.read = badLength(rt, meta);
      }
      break;
    case C.MYSQL_TYPE_TIME2:
    case C.MYSQL_TYPE_DATETIME2:
    case C.MYSQL_TYPE_TIMESTAMP2:
      plan.fsp = meta;
      if (meta > 6) plan.read = badLength(rt, meta);
      break;
    case C.MYSQL_TYPE_TIME:
    case C.MYSQL_TYPE_DATETIME:
    case C.MYSQL_TYPE_TIMESTAMP:
      if (pc.flavor === 'mariadb') planMariadbOldTemporal(plan, col, pc, opts);
      break;
  }
  if (
    rt === C.MYSQL_TYPE_VARCHAR ||
    rt === C.MYSQL_TYPE_VAR_STRING ||
    rt === C.MYSQL_TYPE_STRING ||
    rt === C.MYSQL_TYPE_BLOB ||
    rt === C.MYSQL_TYPE_TINY_BLOB ||
    rt === C.MYSQL_TYPE_MEDIUM_BLOB ||
    rt === C.MYSQL_TYPE_LONG_BLOB ||
    rt === C.MYSQL_TYPE_BLOB_COMPRESSED ||
    rt === C.MYSQL_TYPE_VARCHAR_COMPRESSED
  ) {
    if (col.charset !== undefined) plan.text = col.charset === 'binary' ? undefined : col.charset;
    else plan.text = opts.assumeCharset;
    plan.utf8 = plan.text === 'utf8mb4' || plan.text === 'utf8mb3' || plan.text === 'utf8';
  }
  // MariaDB's VECTOR(n): a VARBINARY(4n) of little-endian float32s, like MySQL's VECTOR
  if (pc.vector === true && rt === C.MYSQL_TYPE_VARCHAR && plan.text === undefined)
    plan.read = READERS[C.MYSQL_TYPE_VECTOR]!;
  // MariaDB's INET4 / INET6 / UUID: BINARY(4) / BINARY(16), made into the text SELECT shows (a column of
  // another width is not what the schema says: its bytes are left as they are)
  const fixed = pc.mariadbFixed;
  if (
    fixed !== undefined &&
    rt === C.MYSQL_TYPE_STRING &&
    plan.text === undefined &&
    plan.padTo === FIXED_LENGTH[fixed]
  ) {
    const bytes = plan.read;
    plan.read = (c, p) => {
      // (a 1-byte length: padTo is 4 or 16) a whole value, the common case, is read where it lies; one
      // whose trailing zeros the server left out is padded by the BINARY reader first
      if (c.pos < c.end && c.buf[c.pos] === p.padTo) {
        const at = c.pos + 1;
        c.need(1 + p.padTo);
        c.pos += 1 + p.padTo;
        return mariadbFixedText(fixed, c.buf, at);
      }
      return mariadbFixedText(fixed, bytes(c, p) as Uint8Array, 0);
    };
  }
  return plan;
}

function badLength(type: number, meta: number): ValueReader {
  return (c) => {
    throw new DecodeError(ErrorCode.ERR_BAD_EVENT, `column type ${type}: invalid metadata ${meta}`, {
      offset: c.offset,
    });
  };
}
