// PLACEHOLDER until the `values` branch lands (it owns this file): same signatures, no implementation.
import type { Cursor } from '../cursor.js';
import { DecodeError, ErrorCode } from '../../errors.js';

const DIG2BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];
export function decimalBinarySize(precision: number, scale: number): number {
  const intg = precision - scale;
  return (
    Math.floor(intg / 9) * 4 + DIG2BYTES[intg % 9] + Math.floor(scale / 9) * 4 + DIG2BYTES[scale % 9]
  );
}
export function decodeDecimal(cur: Cursor, precision: number, scale: number): string {
  throw new DecodeError(ErrorCode.ERR_BAD_EVENT, `DECIMAL(${precision},${scale}) codec not merged yet`, {
    offset: cur.offset,
  });
}
