// PLACEHOLDER until the `values` branch lands (it owns this file): same signatures, minimal table.
const SMALL: Record<number, string> = {
  8: 'latin1',
  33: 'utf8mb3',
  45: 'utf8mb4',
  46: 'utf8mb4',
  63: 'binary',
  83: 'utf8mb3',
  224: 'utf8mb4',
  255: 'utf8mb4',
};
export function charsetOfCollation(id: number, _flavor?: 'mysql' | 'mariadb'): string | undefined {
  return SMALL[id];
}
export function decodeText(buf: Buffer, start: number, end: number, charset: string): string {
  return buf.toString(charset === 'latin1' ? 'latin1' : 'utf8', start, end);
}
export function maxBytesPerChar(charset: string): number {
  return charset === 'utf8mb4' ? 4 : charset === 'utf8mb3' ? 3 : 1;
}
