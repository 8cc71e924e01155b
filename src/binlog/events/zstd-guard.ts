// A check of a zstd frame before fzstd decodes it: RFC 8878 (Zstandard) §3.1.1 frames and blocks,
// §3.1.1.3.1 literals section, §4.2.1 Huffman tree description, §4.1.1 FSE table description.
//   frame       magic FD2FB528 LE, frame header descriptor, [window byte], [dictionary id], [content size]
//   block       header u24 LE: last (1 bit), type (2: 0 raw, 1 RLE, 2 compressed), size (21 bits)
//   compressed  literals header: type (2 bits; 2 = Huffman-compressed, with its tree), size format (2 bits)
//               Huffman tree: header byte < 128 = weights FSE-compressed in that many bytes, which start
//               with an FSE table: accuracy log - 5 (4 bits), then the normalized counts
// fzstd 0.1.1 never returns on an FSE table of Huffman weights in which one symbol holds the whole
// probability: every state then reads 0 bits, its decoding loop never reaches the end of the bitstream
// (the reference decoder stops at 255 weights). Such a table is never written by zstd (a single weight
// cannot describe a tree), so a frame holding one is corrupt: this finds them first.
// Pure; reads only the bytes given; returns a reason, or undefined when nothing is wrong that it checks.

const ZSTD_MAGIC = 0xfd2fb528;
const DICT_ID_BYTES = [0, 1, 2, 4] as const;

function u32le(d: Uint8Array, p: number): number {
  return (d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24)) >>> 0;
}

/** The bits [pos, pos + n) of d, LSB first (bytes past the end read as 0). */
function bits(d: Uint8Array, pos: number, n: number): number {
  const b = pos >> 3;
  const v = (d[b] ?? 0) | ((d[b + 1] ?? 0) << 8) | ((d[b + 2] ?? 0) << 16);
  return (v >> (pos & 7)) & ((1 << n) - 1);
}

/** Whether the FSE table at byte p gives one symbol all of its probability (§4.1.1). */
function degenerateFseTable(d: Uint8Array, p: number): boolean {
  const log = (d[p] & 15) + 5;
  const size = 1 << log;
  let pos = (p << 3) + 4;
  let remaining = size + 1;
  let symbol = 0;
  while (remaining > 1 && symbol < 256) {
    // the value takes ceil(log2(remaining + 1)) bits, or one fewer when it is small (§4.1.1)
    const nb = 32 - Math.clz32(remaining);
    const max = (1 << nb) - 1 - remaining;
    let value = bits(d, pos, nb - 1);
    if (value < max) pos += nb - 1;
    else {
      value = bits(d, pos, nb);
      if (value >= 1 << (nb - 1)) value -= max;
      pos += nb;
    }
    const prob = value - 1; // -1: "less than 1", takes one state
    if (prob === size) return true;
    remaining -= prob < 0 ? -prob : prob;
    symbol++;
    if (prob === 0) {
      // repeat flags: 2 bits each, 3 means more follow
      let repeat: number;
      do {
        if (pos >> 3 >= d.length) return false;
        repeat = bits(d, pos, 2);
        pos += 2;
        symbol += repeat;
      } while (repeat === 3);
    }
  }
  return false;
}

/** Checks every frame and compressed block of `d` (a TRANSACTION_PAYLOAD's zstd data); see above. */
export function zstdFrameProblem(d: Uint8Array): string | undefined {
  let p = 0;
  while (p + 4 <= d.length) {
    const magic = u32le(d, p);
    if (magic >>> 4 === 0x184d2a5) {
      // skippable frame: magic, size u32, data
      p += 8 + u32le(d, p + 4);
      continue;
    }
    if (magic !== ZSTD_MAGIC) return undefined; // fzstd reports it
    const fhd = d[p + 4];
    const single = (fhd >> 5) & 1;
    const fcsFlag = fhd >> 6;
    const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
    p += 5 + (single ? 0 : 1) + DICT_ID_BYTES[fhd & 3] + fcsBytes;
    for (;;) {
      if (p + 3 > d.length) return undefined;
      const h = d[p] | (d[p + 1] << 8) | (d[p + 2] << 16);
      const last = h & 1;
      const type = (h >> 1) & 3;
      const size = h >> 3;
      p += 3;
      if (type === 2 && p < d.length && (d[p] & 3) === 2) {
        const sizeFormat = (d[p] >> 2) & 3;
        const tree = p + (sizeFormat <= 1 ? 3 : sizeFormat === 2 ? 4 : 5);
        if (tree + 1 < d.length && d[tree] < 128 && degenerateFseTable(d, tree + 1))
          return `zstd block at ${p - 3}: its Huffman weights have an FSE table with a single symbol`;
      }
      p += type === 1 ? 1 : size;
      if (last) break;
    }
    if ((fhd >> 2) & 1) p += 4; // content checksum
  }
  return undefined;
}
