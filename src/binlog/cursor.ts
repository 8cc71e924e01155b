// A read cursor over one Buffer. Decoders call `need(n)` once for each fixed-size group of fields and
// then use the unchecked readers; variable-length readers check for themselves. Running past `end`
// throws DecodeError ERR_TRUNCATED with the absolute offset (`base + pos`), never a RangeError.
import { DecodeError, ErrorCode } from '../errors.js';

export class Cursor {
  buf: Buffer;
  pos: number;
  end: number;
  /** Added to `pos` in error offsets, so that errors name the position in the file or stream. */
  base: number;

  constructor(buf: Buffer, pos = 0, end = buf.length, base = 0) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.base = base;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Absolute offset of the read position. */
  get offset(): number {
    return this.base + this.pos;
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new DecodeError(
        ErrorCode.ERR_TRUNCATED,
        `truncated: need ${n} byte(s) at offset ${this.base + this.pos}, ${Math.max(0, this.end - this.pos)} left`,
        { offset: this.base + this.pos },
      );
    }
  }

  /** A cursor over the next `n` bytes; this cursor moves past them. */
  sub(n: number): Cursor {
    this.need(n);
    const c = new Cursor(this.buf, this.pos, this.pos + n, this.base);
    this.pos += n;
    return c;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  // ---- unchecked fixed-width readers (call need() first) ----
  u8(): number {
    return this.buf[this.pos++];
  }
  u16(): number {
    const v = this.buf[this.pos] | (this.buf[this.pos + 1] << 8);
    this.pos += 2;
    return v;
  }
  u24(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos += 3;
    return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16);
  }
  u32(): number {
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  i8(): number {
    const v = this.buf[this.pos++];
    return v > 0x7f ? v - 0x100 : v;
  }
  i16(): number {
    const v = this.buf.readInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  i24(): number {
    const v = this.u24();
    return v & 0x800000 ? v - 0x1000000 : v;
  }
  i32(): number {
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  /** Unsigned 48-bit little-endian as a number (exact). */
  u48(): number {
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf[this.pos + 4] | (this.buf[this.pos + 5] << 8);
    this.pos += 6;
    return hi * 0x1_0000_0000 + lo;
  }
  /** Unsigned 64-bit little-endian as a number; exact only below 2^53 (use for lengths and offsets). */
  u64n(): number {
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * 0x1_0000_0000 + lo;
  }
  /**
   * Unsigned 64-bit little-endian as a bigint. Below 2^53 the value is made from one exact double
   * (one BigInt allocation; Buffer's readBigUInt64LE makes four), above through readBigUInt64LE, which
   * also throws the RangeError for bytes past the buffer.
   */
  u64(): bigint {
    const b = this.buf;
    const p = this.pos;
    const hi = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)) >>> 0;
    const v =
      hi < 0x20_0000 && p + 8 <= b.length
        ? BigInt(hi * 0x1_0000_0000 + ((b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0))
        : b.readBigUInt64LE(p);
    this.pos = p + 8;
    return v;
  }
  /** Signed 64-bit little-endian as a bigint; within ±2^53 from one exact double, as u64(). */
  i64(): bigint {
    const b = this.buf;
    const p = this.pos;
    const hi = b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24);
    const v =
      hi >= -0x20_0000 && hi < 0x20_0000 && p + 8 <= b.length
        ? BigInt(hi * 0x1_0000_0000 + ((b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0))
        : b.readBigInt64LE(p);
    this.pos = p + 8;
    return v;
  }
  f32(): number {
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }
  f64(): number {
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
  /** Unsigned big-endian integer of 1..6 bytes. */
  uBE(n: number): number {
    const v = this.buf.readUIntBE(this.pos, n);
    this.pos += n;
    return v;
  }

  // ---- checked variable-length readers ----
  /** A view (no copy) of the next n bytes. */
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** A view of everything left. */
  rest(): Buffer {
    const v = this.buf.subarray(this.pos, this.end);
    this.pos = this.end;
    return v;
  }
  /** Latin-1/ASCII text of n bytes (identifiers, versions: the server writes them in ASCII/utf8). */
  ascii(n: number): string {
    this.need(n);
    const v = this.buf.toString('latin1', this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  utf8(n: number): string {
    this.need(n);
    const v = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** NUL-terminated string (UTF-8); throws ERR_TRUNCATED if no NUL before end. */
  cstring(): string {
    const i = this.buf.indexOf(0, this.pos);
    if (i < 0 || i >= this.end) {
      throw new DecodeError(
        ErrorCode.ERR_TRUNCATED,
        `truncated: no NUL terminator after offset ${this.offset}`,
        {
          offset: this.offset,
        },
      );
    }
    const v = this.buf.toString('utf8', this.pos, i);
    this.pos = i + 1;
    return v;
  }
  /**
   * Length-encoded integer (protocol "int<lenenc>"; binlog "packed integer"). Returns null for the
   * NULL marker 0xfb. Values above 2^53 lose precision; callers use it for lengths and counts.
   */
  lenencOrNull(): number | null {
    this.need(1);
    const first = this.buf[this.pos++];
    if (first < 0xfb) return first;
    if (first === 0xfb) return null;
    if (first === 0xfc) {
      this.need(2);
      return this.u16();
    }
    if (first === 0xfd) {
      this.need(3);
      return this.u24();
    }
    if (first === 0xfe) {
      this.need(8);
      return this.u64n();
    }
    throw new DecodeError(
      ErrorCode.ERR_BAD_EVENT,
      `invalid length-encoded integer prefix 0xff at offset ${this.offset - 1}`,
      {
        offset: this.offset - 1,
      },
    );
  }
  lenenc(): number {
    const v = this.lenencOrNull();
    if (v === null) {
      throw new DecodeError(ErrorCode.ERR_BAD_EVENT, `unexpected NULL length at offset ${this.offset - 1}`, {
        offset: this.offset - 1,
      });
    }
    return v;
  }
  lenencBytes(): Buffer {
    return this.bytes(this.lenenc());
  }
}
