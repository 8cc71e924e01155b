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

/**
 * utf8Text for strings that are often tiny: up to 4 ASCII bytes are built in JS (a call into
 * Buffer's native decoder costs more than the decoding itself at that size), longer or non-ASCII ones
 * go to utf8Text.
 */
export function shortUtf8Text(buf: Buffer, start: number, end: number): string {
  switch (end - start) {
    case 0:
      return '';
    case 1: {
      const a = buf[start];
      if (a < 0x80) return String.fromCharCode(a);
      break;
    }
    case 2: {
      const a = buf[start];
      const b = buf[start + 1];
      if ((a | b) < 0x80) return String.fromCharCode(a, b);
      break;
    }
    case 3: {
      const a = buf[start];
      const b = buf[start + 1];
      const c = buf[start + 2];
      if ((a | b | c) < 0x80) return String.fromCharCode(a, b, c);
      break;
    }
    case 4: {
      const a = buf[start];
      const b = buf[start + 1];
      const c = buf[start + 2];
      const d = buf[start + 3];
      if ((a | b | c | d) < 0x80) return String.fromCharCode(a, b, c, d);
      break;
    }
  }
  return utf8Text(buf, start, end);
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
