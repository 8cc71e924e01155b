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
