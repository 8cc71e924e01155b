// PLACEHOLDER until the `values` branch lands (it owns this file): same signatures, no implementation.
import type { Cursor } from '../cursor.js';
import { DecodeError, ErrorCode } from '../../errors.js';

function missing(cur: Cursor, what: string): never {
  throw new DecodeError(ErrorCode.ERR_BAD_EVENT, `${what} codec not merged yet`, { offset: cur.offset });
}
export function decodeYear(cur: Cursor): number {
  cur.need(1);
  const v = cur.u8();
  return v === 0 ? 0 : 1900 + v;
}
export function decodeDate(cur: Cursor): string {
  return missing(cur, 'DATE');
}
export function decodeTime(cur: Cursor): string {
  return missing(cur, 'TIME');
}
export function decodeTime2(cur: Cursor, _fsp: number): string {
  return missing(cur, 'TIME2');
}
export function decodeDatetime(cur: Cursor): string {
  return missing(cur, 'DATETIME');
}
export function decodeDatetime2(cur: Cursor, _fsp: number): string {
  return missing(cur, 'DATETIME2');
}
export function decodeTimestamp(cur: Cursor): string {
  return missing(cur, 'TIMESTAMP');
}
export function decodeTimestamp2(cur: Cursor, _fsp: number): string {
  return missing(cur, 'TIMESTAMP2');
}
