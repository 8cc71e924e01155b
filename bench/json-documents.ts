// bench/json-documents: the JSON value family. MySQL 9.7 writes documents of three shapes (3, 10 and 30
// members) into a JSON column; binlogsync decodes them from the binlog (MySQL's binary JSON format) and
// V8's own JSON.parse reads the same documents as the server prints them (CAST(j AS CHAR)), in the
// same run: ns per document, every member read.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../src/servers/local-server.js';
import { BENCH_DIGITS_SQL } from './binlog-corpus.js';
import { fmt, fmtInt, loadNow, ratio, runWorker, table } from './lib.js';

const DOCS = 20_000;

/** The shapes: a name and the SQL expression of one document, from the sequence number n. */
const SHAPES: { name: string; members: number; sql: string }[] = [
  {
    name: 'small',
    members: 3,
    sql: "JSON_OBJECT('n', n, 'tags', JSON_ARRAY('x', n % 10), 'ok', n % 2 = 0)",
  },
  {
    name: 'medium',
    members: 10,
    sql:
      "JSON_OBJECT('id', n, 'name', CONCAT('user', n), 'email', CONCAT('u', n, '@example.com'), " +
      "'age', n % 90, 'score', n / 7e0, 'active', n % 2 = 0, 'city', ELT(1 + n % 4, 'Oslo', 'Lima', 'Pune', 'Kyiv'), " +
      "'zip', LPAD(n % 100000, 5, '0'), 'created', '2024-01-01', 'tags', JSON_ARRAY('a', 'b'))",
  },
  {
    name: 'wide',
    members: 30,
    sql: `JSON_OBJECT(${Array.from({ length: 30 }, (_, i) =>
      i % 2 ? `'field_${i}', CONCAT('v', n + ${i})` : `'field_${i}', n + ${i}`,
    ).join(', ')})`,
  },
];

export interface JsonDocumentsResult {
  markdown: string;
  rows: { shape: string; binlogsyncMs?: number; jsonMs?: number; docs: number }[];
}

export async function benchJsonDocuments(runs: number): Promise<JsonDocumentsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'binlogsync-json-bench-'));
  try {
    const inputs: { shape: (typeof SHAPES)[number]; path: string; texts: string }[] = [];
    const s = await startLocalServer('mysql-9.7', { options: ['--binlog-row-metadata=FULL'] });
    try {
      await s.sql(
        `${BENCH_DIGITS_SQL}; CREATE TABLE bench.docs (id INT PRIMARY KEY, shape VARCHAR(8), j JSON)`,
      );
      for (const [k, shape] of SHAPES.entries()) {
        await s.sql('FLUSH BINARY LOGS');
        const [file] = (await s.sql('SHOW BINARY LOG STATUS')).split('\t');
        await s.sql(
          `INSERT INTO bench.docs SELECT ${k * DOCS} + n, '${shape.name}', ${shape.sql}
           FROM (SELECT a.n + b.n * 10 + c.n * 100 + d.n * 1000 + e.n * 10000 AS n
                 FROM bench.digits a, bench.digits b, bench.digits c, bench.digits d, bench.digits e) seq
           WHERE n < ${DOCS}`,
        );
        await s.sql('FLUSH BINARY LOGS');
        const path = join(dir, `${shape.name}.binlog`);
        copyFileSync(s.binlogPath(file), path);
        const texts = join(dir, `${shape.name}.jsonl`);
        writeFileSync(
          texts,
          await s.sql(`SELECT CAST(j AS CHAR) FROM bench.docs WHERE shape = '${shape.name}' ORDER BY id`),
        );
        inputs.push({ shape, path, texts });
      }
    } finally {
      await s.stop();
    }

    const rows: JsonDocumentsResult['rows'] = [];
    const md: string[][] = [];
    for (const { shape, path, texts } of inputs) {
      const ms: Record<string, number | undefined> = {};
      const notes: string[] = [];
      for (const mode of ['binlogsync', 'json']) {
        // a pass is short (tens of ms): more of them, so that the best is a warm one
        const loops = Math.max(10, runs);
        const { result } = await runWorker('json-documents.mjs', { path, texts, mode, loops });
        const ok =
          result.error === undefined && result.docs === DOCS && result.members === DOCS * shape.members;
        ms[mode] = ok ? result.ms : undefined;
        if (!ok)
          notes.push(`${mode}: ${result.error ?? `${result.docs} documents, ${result.members} members`}`);
      }
      rows.push({ shape: shape.name, binlogsyncMs: ms.binlogsync, jsonMs: ms.json, docs: DOCS });
      const ns = (m: number | undefined): string => (m === undefined ? '–' : fmtInt((m * 1e6) / DOCS));
      md.push([
        `${shape.name} (${shape.members} members)`,
        fmtInt(DOCS),
        ns(ms.binlogsync),
        ns(ms.json),
        ratio(ms.json, ms.binlogsync),
        notes.join('; ') || '',
      ]);
    }
    const markdown = [
      `### JSON documents: MySQL's binary format → values, next to V8's JSON.parse of the same text (best of ${Math.max(10, runs)} passes; load ${loadNow()} at the end)`,
      '',
      table(
        [
          'shape',
          'documents',
          'binlogsync ns/document',
          'JSON.parse ns/document',
          'JSON.parse time vs binlogsync',
          'notes',
        ],
        md,
      ),
      '',
      `binlogsync's figure includes reading its binlog file (the INSERTs' events and the id column); ` +
        `every member is read in both. ${fmt(DOCS / 1000, 0)} k documents a shape.`,
    ].join('\n');
    return { markdown, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
