// How mysqlbinlog -vv prints the JSON diffs of one column of a PARTIAL_UPDATE_ROWS event (mysql-server
// sql/log_event.cc, Rows_log_event::print_verbose_one_row / print_json_diff): a run of diffs with the same
// operation is one call, JSON_REPLACE(@2, '$.a', 2, '$.b', 'x'); strings are SQL strings, objects and arrays
// CAST('…' AS JSON), other values their JSON text. Tests compare decodeJsonDiffs with that output.
import type { JsonDiff } from '../../src/binlog/rows/json-binary.js';

function sqlValue(text: string): string {
  if (text.startsWith('"')) {
    return `'${(JSON.parse(text) as string).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  return text.startsWith('{') || text.startsWith('[') ? `CAST('${text}' AS JSON)` : text;
}

/** The diffs as mysqlbinlog prints them for column `@n` (pass the column reference, e.g. '@2'). */
export function diffsAsMysqlbinlogPrints(diffs: JsonDiff[], column: string): string {
  let expr = column;
  for (let i = 0; i < diffs.length;) {
    const op = diffs[i].op;
    const fn = op === 'remove' ? 'JSON_REMOVE' : op === 'insert' ? 'JSON_INSERT' : 'JSON_REPLACE';
    let args = '';
    for (; i < diffs.length && diffs[i].op === op; i++) {
      const d = diffs[i];
      args += `, '${d.path}'` + (op === 'remove' ? '' : `, ${sqlValue(d.text ?? 'null')}`);
    }
    expr = `${fn}(${expr}${args})`;
  }
  return expr;
}

/** Normalizes one mysqlbinlog -vv "@2=JSON_…" value: joins its lines and spaces the arguments evenly. */
export function normalizeMysqlbinlogDiff(printed: string): string {
  return printed.replace(/\n###\s+/g, '').replace(/,\s*'\$/g, ", '$");
}
