// The JavaScript values of row columns (spec values-and-jsonl.md §1).
import type { JsonDiff, JsonValue } from './json-binary.js';

/** A JSON column decoded with `values.json: 'text' | 'both'`: the exact MySQL text (CAST(j AS CHAR)). */
export class JsonText {
  readonly text: string;
  /** the parsed value, present with `values.json: 'both'` */
  readonly value: JsonValue | undefined;
  constructor(text: string, value?: JsonValue) {
    this.text = text;
    this.value = value;
  }
  /** The MySQL text, so that a JsonText prints as the server would. */
  toString(): string {
    return this.text;
  }
}

/** A JSON column logged as a list of diffs instead of the full document. */
export class JsonDiffValue {
  readonly json_diff: JsonDiff[];
  constructor(diffs: JsonDiff[]) {
    this.json_diff = diffs;
  }
}

/**
 * The JavaScript value of one column: its type depends only on the column's type (see the README's value
 * contract), never on the value.
 */
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
