// The JavaScript values of row columns (spec values-and-jsonl.md §1).
import type { JsonValue } from './json-binary.js';

/** A JSON column decoded with `values.json: 'text' | 'both'`: the exact MySQL text (CAST(j AS CHAR)). */
export class JsonText {
  readonly text: string;
  /** the parsed value, present with `values.json: 'both'` */
  readonly value: JsonValue | undefined;
  constructor(text: string, value?: JsonValue) {
    this.text = text;
    this.value = value;
  }
  toString(): string {
    return this.text;
  }
}

/** One operation of a partial JSON update (PARTIAL_UPDATE_ROWS, binlog_row_value_options=PARTIAL_JSON). */
export interface JsonDiffOp {
  op: 'replace' | 'insert' | 'remove';
  path: string;
  value?: unknown;
}

/** A JSON column logged as a list of diffs instead of the full document. */
export class JsonDiffValue {
  readonly json_diff: JsonDiffOp[];
  constructor(diffs: JsonDiffOp[]) {
    this.json_diff = diffs;
  }
}

export type RowValue =
  | null
  | number
  | bigint
  | string
  | Uint8Array
  | string[]
  | Float32Array
  | JsonValue
  | JsonText
  | JsonDiffValue;

/** One row image: a key per column present in the image (column name, or `@1`, `@2`, … when unknown). */
export type Row = Record<string, RowValue>;
