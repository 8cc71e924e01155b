// PLACEHOLDER until the `values` branch lands (it owns this file): same signatures, no implementation.
import type { Cursor } from '../cursor.js';
import { DecodeError, ErrorCode } from '../../errors.js';

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };
export interface JsonDiff {
  op: 'replace' | 'insert' | 'remove';
  path: string;
  value?: JsonValue;
}
export function decodeJsonBinary(_buf: Buffer, start: number, _end: number, baseOffset = 0): JsonValue {
  throw new DecodeError(ErrorCode.ERR_BAD_EVENT, 'JSON codec not merged yet', { offset: baseOffset + start });
}
export function jsonBinaryToText(_buf: Buffer, start: number, _end: number, baseOffset = 0): string {
  throw new DecodeError(ErrorCode.ERR_BAD_EVENT, 'JSON codec not merged yet', { offset: baseOffset + start });
}
export function decodeJsonDiffs(cur: Cursor): JsonDiff[] {
  throw new DecodeError(ErrorCode.ERR_BAD_EVENT, 'JSON diff codec not merged yet', { offset: cur.offset });
}
