// Buffer's own UTF-8 / Latin-1 decoders (node lib/buffer.js: Buffer.prototype.toString ends in
// `this.utf8Slice(start, end)` after normalising its arguments). Hot decoders call them directly to skip
// toString's encoding lookup and argument handling. The caller guarantees 0 <= start <= end <= buf.length
// (out of range they throw a RangeError instead of clamping like toString). @types/node does not declare
// them, hence the cast.

interface NativeSlices {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

/** buf.toString('utf8', start, end) for an in-range [start, end). */
export function utf8Text(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as NativeSlices).utf8Slice(start, end);
}

/** buf.toString('latin1', start, end) for an in-range [start, end). */
export function latin1Text(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as NativeSlices).latin1Slice(start, end);
}

/** the longest ASCII text shortUtf8Text makes in JS */
export const SHORT_TEXT_MAX = 12;

/**
 * utf8Text for strings that are often short: ASCII text of up to SHORT_TEXT_MAX bytes is made in JS by
 * one String.fromCharCode call (~20 ns for 8 bytes; a call into Buffer's native decoder costs ~65 ns
 * whatever the length), anything longer or not ASCII goes to utf8Text. ASCII bytes are their own UTF-16
 * code units, so the text is the same.
 */
export function shortUtf8Text(buf: Buffer, start: number, end: number): string {
  const len = end - start;
  const b = buf;
  const s = start;
  // up to 4 bytes the check is written out (a loop costs more than the decoding there)
  switch (len) {
    case 0:
      return '';
    case 1:
      if (b[s] < 0x80) return String.fromCharCode(b[s]);
      return utf8Text(buf, start, end);
    case 2:
      if ((b[s] | b[s + 1]) < 0x80) return String.fromCharCode(b[s], b[s + 1]);
      return utf8Text(buf, start, end);
    case 3:
      if ((b[s] | b[s + 1] | b[s + 2]) < 0x80) return String.fromCharCode(b[s], b[s + 1], b[s + 2]);
      return utf8Text(buf, start, end);
    case 4:
      if ((b[s] | b[s + 1] | b[s + 2] | b[s + 3]) < 0x80)
        return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3]);
      return utf8Text(buf, start, end);
  }
  if (len > SHORT_TEXT_MAX) return utf8Text(buf, start, end);
  let or = 0;
  for (let i = start; i < end; i++) or |= b[i];
  if (or >= 0x80) return utf8Text(buf, start, end);
  // one call with the bytes as arguments (apply, loops or joining pieces build the string more slowly)
  // prettier-ignore
  switch (len) {
    case 5: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    case 12: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
    default: return utf8Text(buf, start, end);
  }
}

/**
 * Strings that repeat, such as the keys of the JSON documents of one column: an ASCII key seen before
 * is returned without decoding (256 slots by a hash of its bytes; a slot keeps the last
 * key that landed there). Only strings whose UTF-8 bytes are their char codes are kept, so a hit (same
 * length, every char code equal to its byte) is always the exact decoding. Owned by the caller (one per
 * column), never module state.
 */
export class StringCache {
  private readonly slots: (string | undefined)[];
  /** what get() returns for the string in the same slot: transform(string), or the string */
  private readonly outs: string[];
  private readonly mask: number;
  private readonly transform: ((s: string) => string) | undefined;

  /**
   * `size`: the slot count, a power of two (small sizes make collisions, for tests); `transform`: get()
   * returns transform(decoded string), cached too (e.g. the quoted JSON text of a key)
   */
  constructor(size = 256, transform?: (s: string) => string) {
    this.slots = new Array<string | undefined>(size).fill(undefined);
    this.outs = new Array<string>(size).fill('');
    this.mask = size - 1;
    this.transform = transform;
  }

  get(buf: Buffer, start: number, end: number): string {
    const len = end - start;
    const t = this.transform;
    if (len > 32 || len === 0) {
      const s = len === 0 ? '' : utf8Text(buf, start, end);
      return t === undefined ? s : t(s);
    }
    // every byte counts: keys of one column often differ in one character only (field_10, field_20)
    let h = len;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + buf[i]) | 0;
    h = (h ^ (h >>> 13)) & this.mask;
    const c = this.slots[h];
    if (c !== undefined && c.length === len) {
      let i = 0;
      while (i < len && c.charCodeAt(i) === buf[start + i]) i++;
      if (i === len) return this.outs[h];
    }
    const s = shortUtf8Text(buf, start, end);
    const out = t === undefined ? s : t(s);
    // same length as its bytes: every byte was ASCII (a multi-byte sequence or an invalid byte
    // would give fewer units, or U+FFFD, which no byte equals)
    if (s.length === len) {
      this.slots[h] = s;
      this.outs[h] = out;
    }
    return out;
  }
}
