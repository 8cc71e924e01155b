// A table-map column for unit tests that build rows or row printers without a binlog: the fields a
// TABLE_MAP without optional metadata leaves unknown are undefined.
import type { ColumnDef } from '../../src/binlog/types.js';

export function columnDef(
  index: number,
  key: string,
  realType: number,
  more: Partial<ColumnDef> = {},
): ColumnDef {
  return {
    index,
    name: undefined,
    key,
    type: realType,
    realType,
    meta: 0,
    nullable: true,
    unsigned: undefined,
    collation: undefined,
    charset: undefined,
    enumValues: undefined,
    setValues: undefined,
    geometryType: undefined,
    visible: undefined,
    vectorDimensions: undefined,
    ...more,
  };
}
