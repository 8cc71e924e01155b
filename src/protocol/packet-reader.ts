// Inbound framing: socket chunks in, whole payloads out.
// Packet layout (dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html):
//   payload_length  u24 LE
//   sequence_id     u8     the exchange's counter, +1 per packet (mod 256), reset to 0 by each command
//   payload         payload_length bytes
// A payload of 0xffffff bytes or more is sent as 0xffffff-byte packets followed by one shorter packet
// (empty when the size is an exact multiple); the reader joins them into one payload.
//
// No copies in the common case: a packet that lies inside one chunk is delivered as a `subarray` view.
// A packet that spans chunks is copied once into a buffer of its exact size; a split payload is joined
// once at its end.
import { ErrorCode, ProtocolError } from '../errors.js';
import { MAX_PACKET_PAYLOAD, PACKET } from './capabilities.js';

const EMPTY = Buffer.alloc(0);

export type PacketHandler = (payload: Buffer) => void;

export class PacketReader {
  /** Sequence id the next packet must carry. The connection shares it with its writer. */
  nextSeq = 0;
  /** Largest joined payload accepted; longer ones fail with ERR_PROTOCOL. */
  maxPayload: number;
  /**
   * Sees each payload before it is delivered; a number it returns is the sequence id the next packet
   * must carry (a semi-sync source restarts its count after each event that asks for an ACK).
   */
  sequenceRule: ((payload: Buffer) => number | undefined) | undefined;

  private readonly onPacket: PacketHandler;
  // header being assembled across chunks
  private readonly header = Buffer.alloc(4);
  private headerFill = 0;
  // physical packet being assembled across chunks (fragLen < 0: expecting a header)
  private fragLen = -1;
  private fragBuf: Buffer = EMPTY;
  private fragFill = 0;
  /** Set when the current packet's sequence id is wrong; judged once its first byte is known. */
  private seqWrong: { got: number; want: number } | undefined;
  // fragments of a split payload
  private parts: Buffer[] = [];
  private partsLen = 0;

  constructor(onPacket: PacketHandler, maxPayload: number) {
    this.onPacket = onPacket;
    this.maxPayload = maxPayload;
  }

  /** Bytes held back in an incomplete packet. */
  get pending(): number {
    return this.headerFill + this.fragFill + this.partsLen;
  }

  /**
   * Parses `chunk`, calling the handler for each complete payload in order. Throws ProtocolError
   * (ERR_PACKET_SEQUENCE, ERR_PROTOCOL) on a violation, after delivering the payloads before it; the
   * reader is unusable afterwards.
   */
  push(chunk: Buffer): void {
    const end = chunk.length;
    let pos = 0;
    while (pos < end) {
      if (this.fragLen < 0) {
        let len: number;
        let seq: number;
        if (this.headerFill === 0 && end - pos >= 4) {
          len = chunk[pos] | (chunk[pos + 1] << 8) | (chunk[pos + 2] << 16);
          seq = chunk[pos + 3];
          pos += 4;
        } else {
          const n = Math.min(4 - this.headerFill, end - pos);
          chunk.copy(this.header, this.headerFill, pos, pos + n);
          this.headerFill += n;
          pos += n;
          if (this.headerFill < 4) return;
          this.headerFill = 0;
          len = this.header[0] | (this.header[1] << 8) | (this.header[2] << 16);
          seq = this.header[3];
        }
        this.startPacket(len, seq);
        if (end - pos >= len) {
          this.endPacket(len === 0 ? EMPTY : chunk.subarray(pos, pos + len));
          pos += len;
        } else {
          this.fragBuf = Buffer.allocUnsafe(len);
          this.fragFill = chunk.copy(this.fragBuf, 0, pos, end);
          pos = end;
        }
      } else {
        const n = Math.min(this.fragLen - this.fragFill, end - pos);
        chunk.copy(this.fragBuf, this.fragFill, pos, pos + n);
        this.fragFill += n;
        pos += n;
        if (this.fragFill === this.fragLen) {
          const buf = this.fragBuf;
          this.fragBuf = EMPTY;
          this.fragFill = 0;
          this.endPacket(buf);
        }
      }
    }
  }

  private startPacket(len: number, seq: number): void {
    if (this.partsLen + len > this.maxPayload) {
      throw new ProtocolError(
        ErrorCode.ERR_PROTOCOL,
        `packet of ${this.partsLen + len}+ bytes exceeds the limit of ${this.maxPayload} bytes`,
      );
    }
    this.seqWrong = seq === this.nextSeq ? undefined : { got: seq, want: this.nextSeq };
    this.nextSeq = (seq + 1) & 0xff;
    this.fragLen = len;
  }

  private endPacket(buf: Buffer): void {
    const len = this.fragLen;
    this.fragLen = -1;
    if (this.seqWrong !== undefined) {
      // Servers send some ERR packets out of turn (a killed or timed-out session, MySQL 8.0.24+
      // ER_CLIENT_INTERACTION_TIMEOUT): deliver those, the server's message is the useful error.
      const isErr = this.parts.length === 0 && len < MAX_PACKET_PAYLOAD && len > 0 && buf[0] === PACKET.ERR;
      if (!isErr) {
        const { got, want } = this.seqWrong;
        throw new ProtocolError(
          ErrorCode.ERR_PACKET_SEQUENCE,
          `packet out of order: sequence id ${got}, expected ${want}`,
        );
      }
    }
    if (len === MAX_PACKET_PAYLOAD) {
      this.parts.push(buf);
      this.partsLen += len;
      return;
    }
    if (this.parts.length === 0) {
      this.deliver(buf);
      return;
    }
    this.parts.push(buf);
    const joined = Buffer.concat(this.parts, this.partsLen + len);
    this.parts = [];
    this.partsLen = 0;
    this.deliver(joined);
  }

  private deliver(payload: Buffer): void {
    const next = this.sequenceRule?.(payload);
    if (next !== undefined) this.nextSeq = next & 0xff;
    this.onPacket(payload);
  }
}
