// The every-type workload with its columns in shuffled orders (fixed seeds, id first): the table map's
// optional metadata counts signedness bits, charsets, ENUM/SET members and geometry types over subsets
// of the columns, so a decoder that counts one column wrong reads every later column with the wrong
// facts — which the usual order (numbers first, then temporal, then text) can hide. Each order, logged
// with FULL and with MINIMAL metadata, decoded from the server's binlog file without any schema, must
// give what SELECT gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { columnsFor, type Column } from '../../fixtures/workload.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { checkAgainstSelect, runWorkload } from './select-compare.js';

/** A seeded shuffle (mulberry32) of the columns after the first (id). */
function shuffled(cols: Column[], seed: number): Column[] {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rest = cols.slice(1);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  return [cols[0], ...rest];
}

const SEEDS = (process.env.CO_SEEDS ?? '1,2,3').split(',').map(Number);

for (const name of testServerNames().filter((n) => n !== 'mariadb-10.5')) {
  describe(`shuffled column orders on ${name}`, () => {
    let server: LocalServer;
    test('setup', async () => {
      server = await startTestServer(name);
    });
    for (const meta of ['FULL', 'MINIMAL']) {
      for (const seed of SEEDS) {
        test(`${meta} metadata, order ${seed}`, async () => {
          await server.sql(`SET GLOBAL binlog_row_metadata = '${meta}'`);
          const cols = shuffled(columnsFor(server.flavor), seed);
          const r = await runWorkload(server, `co_${meta.toLowerCase()}_${seed}`, {}, cols);
          // the table really has that order
          assert.deepEqual(
            r.inserted[0].tableMap.columns.map((c) => c.name ?? c.key),
            meta === 'FULL' ? cols.map((c) => c.name) : cols.map((_, i) => `@${i + 1}`),
          );
          const diffs = checkAgainstSelect(r, server.flavor);
          assert.deepEqual(diffs, [], `order ${cols.map((c) => c.name).join(',')}:\n${diffs.join('\n')}`);
        });
      }
    }
  });
}
