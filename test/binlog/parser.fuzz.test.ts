// Property tests over real events (every event of the recorded fixtures): every strict prefix of an event
// throws ERR_TRUNCATED; prefixes passed off as whole events, random byte edits and random bodies never
// crash, hang or throw anything but a BinlogSyncError. Counts the inputs tried.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BinlogParser } from '../../src/binlog/parser.js';
import type { SchemaProvider } from '../../src/binlog/options.js';
import { EventType } from '../../src/binlog/constants.js';
import { BinlogSyncError, DecodeError, ErrorCode } from '../../src/errors.js';
import { FIXTURES, fixtureExpectation, splitEvents, type RawEvent } from './helpers.js';

interface Case {
  file: string;
  /** the events a parser must see first: the FDE and the latest table map of each table */
  prelude: RawEvent[];
  ev: RawEvent;
  /** the schema recorded with a fixture whose values need one (MariaDB's old temporal formats) */
  schema: SchemaProvider | undefined;
}

/**
 * BINLOGSYNC_FUZZ_SCALE=10 runs ten times the random inputs, for a longer fuzz run than npm test's:
 * `BINLOGSYNC_FUZZ_SCALE=10 node --import tsx test/binlog/parser.fuzz.test.ts` (what such runs found:
 * test/fixtures/fuzz/README.md).
 */
const SCALE = Math.max(1, Number(process.env.BINLOGSYNC_FUZZ_SCALE ?? 1) || 1);

const cases: Case[] = [];
for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.binlog'))) {
  const evs = splitEvents(file);
  const schema = fixtureExpectation(file)?.schema;
  const maps: RawEvent[] = [];
  for (const ev of evs) {
    cases.push({ file, prelude: [evs[0], ...maps], ev, schema });
    if (ev.code === EventType.TABLE_MAP_EVENT) maps.push(ev);
  }
}

function primed(verifyChecksum: boolean, c: Case): BinlogParser {
  const p = new BinlogParser({ verifyChecksum, values: { json: 'both', schema: c.schema } });
  for (const e of c.prelude) p.parse(e.buf, { pos: e.pos });
  return p;
}

/** Decodes, including the inner events of a payload; returns the error if any. */
function attempt(p: BinlogParser, buf: Buffer, pos: number): unknown {
  try {
    const ev = p.parse(buf, { pos });
    if (ev.type === 'transaction_payload') p.payloadEvents(ev);
    return undefined;
  } catch (e) {
    return e;
  }
}

function assertOnlyOurErrors(e: unknown, what: string): void {
  if (e === undefined) return;
  if (!(e instanceof BinlogSyncError)) {
    assert.fail(`${what}: threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : typeof e}`);
  }
}

describe('parser under hostile input', { timeout: 300_000 }, () => {
  test('every strict prefix of every real event throws ERR_TRUNCATED', (t) => {
    let tried = 0;
    for (const c of cases) {
      const p = primed(true, c);
      for (let n = 0; n < c.ev.buf.length; n++) {
        const e = attempt(p, c.ev.buf.subarray(0, n), c.ev.pos);
        tried++;
        assert.ok(
          e instanceof DecodeError && e.code === ErrorCode.ERR_TRUNCATED,
          `${c.file}@${c.ev.pos} prefix ${n}: ${e instanceof Error ? e.message : String(e)}`,
        );
        assert.equal(e.pos, c.ev.pos);
      }
    }
    t.diagnostic(`strict prefixes tried: ${tried}`);
    assert.ok(tried > 10_000);
  });

  test('prefixes that claim to be whole events (length patched, no CRC) decode or throw a DecodeError', (t) => {
    let tried = 0;
    let errors = 0;
    for (const c of cases) {
      if (c.ev.code === EventType.FORMAT_DESCRIPTION_EVENT) continue;
      const p = primed(false, c);
      for (let n = 13; n < c.ev.buf.length; n++) {
        const b = Buffer.from(c.ev.buf.subarray(0, n));
        b.writeUInt32LE(n, 9);
        const e = attempt(p, b, c.ev.pos);
        tried++;
        if (e !== undefined) {
          errors++;
          assert.ok(
            e instanceof DecodeError,
            `${c.file}@${c.ev.pos} cut at ${n}: ${e instanceof Error ? e.message : typeof e}`,
          );
        }
      }
    }
    t.diagnostic(`patched prefixes tried: ${tried}, ${errors} rejected`);
  });

  test('random byte edits of real events throw only BinlogSyncErrors', (t) => {
    let tried = 0;
    fc.assert(
      fc.property(
        fc.nat(cases.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (i, edits, keepLength) => {
          const c = cases[i];
          const b = Buffer.from(c.ev.buf);
          for (const [off, v] of edits) {
            const at = off % b.length;
            if (keepLength && at >= 9 && at < 13) continue;
            b[at] = v;
          }
          tried++;
          assertOnlyOurErrors(attempt(primed(false, c), b, c.ev.pos), `${c.file}@${c.ev.pos}`);
        },
      ),
      { numRuns: 6000 * SCALE },
    );
    t.diagnostic(`mutated events tried: ${tried}`);
  });

  test('random bodies behind real headers throw only BinlogSyncErrors', (t) => {
    let tried = 0;
    const codes = [...new Set(cases.map((c) => c.ev.code))];
    fc.assert(
      fc.property(
        fc.nat(cases.length - 1),
        fc.constantFrom(...codes, EventType.GTID_TAGGED_LOG_EVENT, EventType.TRANSACTION_PAYLOAD_EVENT, 200),
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        (i, code, body) => {
          const c = cases[i];
          const b = Buffer.concat([c.ev.buf.subarray(0, 19), body]);
          b[4] = code;
          b.writeUInt32LE(b.length, 9);
          tried++;
          assertOnlyOurErrors(attempt(primed(false, c), b, c.ev.pos), `code ${code}`);
        },
      ),
      { numRuns: 4000 * SCALE },
    );
    t.diagnostic(`random bodies tried: ${tried}`);
  });
});
