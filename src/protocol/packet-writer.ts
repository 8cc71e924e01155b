// Outbound framing and a payload builder.
// Framing (page_protocol_basic_packets.html, "Sending More Than 16Mb"): payload_length u24 LE,
// sequence_id u8, payload. A payload of 0xffffff bytes or more goes out as 0xffffff-byte packets and a
// final shorter one, which is empty when the length is an exact multiple of 0xffffff.
import { MAX_PACKET_PAYLOAD } from './capabilities.js';

/** Payloads up to this size are copied behind their header; longer ones are written as views. */
const COPY_LIMIT = 16 * 1024;

export interface Frames {
  /** Buffers to write in order (headers and payload views). */
  chunks: Buffer[];
  /** Sequence id of the packet after these. */
  nextSeq: number;
}

function header(len: number, seq: number): Buffer {
  const h = Buffer.allocUnsafe(4);
  h[0] = len & 0xff;
  h[1] = (len >>> 8) & 0xff;
  h[2] = len >>> 16;
  h[3] = seq;
  return h;
}

/** Frames `payload` starting at sequence id `seq`, without copying large payloads. */
export function encodeFrames(payload: Buffer, seq: number): Frames {
  const total = payload.length;
  if (total < MAX_PACKET_PAYLOAD && total <= COPY_LIMIT) {
    const buf = Buffer.allocUnsafe(4 + total);
    buf[0] = total & 0xff;
    buf[1] = total >>> 8;
    buf[2] = 0;
    buf[3] = seq & 0xff;
    payload.copy(buf, 4);
    return { chunks: [buf], nextSeq: (seq + 1) & 0xff };
  }
  const chunks: Buffer[] = [];
  let s = seq & 0xff;
  let pos = 0;
  for (;;) {
    const n = Math.min(MAX_PACKET_PAYLOAD, total - pos);
    chunks.push(header(n, s));
    if (n > 0) chunks.push(payload.subarray(pos, pos + n));
    s = (s + 1) & 0xff;
    pos += n;
    if (n < MAX_PACKET_PAYLOAD) break;
  }
  return { chunks, nextSeq: s };
}

/**
 * Builds one payload in a growable buffer. Integers are little-endian; `lenenc` writes the protocol's
 * length-encoded integer (1, 3, 4 or 9 bytes).
 */
export class PayloadBuilder {
  private buf: Buffer;
  private len = 0;

  constructor(capacity = 256) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.len;
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.len++] = v;
    return this;
  }
  u16(v: number): this {
    this.room(2);
    this.buf.writeUInt16LE(v, this.len);
    this.len += 2;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.buf.writeUInt32LE(v >>> 0, this.len);
    this.len += 4;
    return this;
  }
  zeros(n: number): this {
    this.room(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  /** UTF-8 text without terminator. */
  text(s: string): this {
    const n = Buffer.byteLength(s, 'utf8');
    this.room(n);
    this.buf.write(s, this.len, n, 'utf8');
    this.len += n;
    return this;
  }
  /** UTF-8 text and a NUL. */
  cstring(s: string): this {
    return this.text(s).u8(0);
  }
  lenenc(v: number): this {
    if (v < 0xfb) return this.u8(v);
    if (v < 0x10000) return this.u8(0xfc).u16(v);
    if (v < 0x1000000) {
      this.room(4);
      this.buf[this.len] = 0xfd;
      this.buf.writeUIntLE(v, this.len + 1, 3);
      this.len += 4;
      return this;
    }
    this.room(9);
    this.buf[this.len] = 0xfe;
    this.buf.writeBigUInt64LE(BigInt(v), this.len + 1);
    this.len += 9;
    return this;
  }
  lenencBytes(b: Uint8Array): this {
    return this.lenenc(b.length).bytes(b);
  }
  lenencText(s: string): this {
    return this.lenenc(Buffer.byteLength(s, 'utf8')).text(s);
  }
  /** The payload built so far (a view of the internal buffer). */
  finish(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}
