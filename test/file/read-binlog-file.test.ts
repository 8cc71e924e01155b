// readBinlogFile: chunked reading (events larger than a chunk), --start, the magic check, missing format
// description, truncation, abort, old binlog formats (v1 / v3 START_EVENT_V3 files).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readBinlogFile, type ReadBinlogFileOptions } from '../../src/file/read-binlog-file.js';
import { AbortError, ConfigError, DecodeError, ErrorCode } from '../../src/errors.js';
import { eventJson } from '../../src/cli/jsonl.js';
import type { BinlogEvent } from '../../src/binlog/types.js';
import { FIXTURES, splitEvents } from '../binlog/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'binlogsync-read-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function all(path: string, opts: ReadBinlogFileOptions = {}): Promise<BinlogEvent[]> {
  const out: BinlogEvent[] = [];
  for await (const ev of readBinlogFile(path, opts)) out.push(ev);
  return out;
}

function rejectsWith(code: string, pos?: number) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof DecodeError, String(e));
    assert.equal(e.code, code, e.message);
    if (pos !== undefined) assert.equal(e.pos, pos);
    return true;
  };
}

const FULL = join(FIXTURES, 'mysql97-full.binlog');

describe('readBinlogFile', () => {
  test('any chunk size gives the same events (events larger than a chunk)', async () => {
    const ref = (await all(FULL, { values: { json: 'text' } })).map(eventJson);
    for (const chunkSize of [1, 7, 19, 100, 4096]) {
      const got = (await all(FULL, { chunkSize, values: { json: 'text' } })).map(eventJson);
      assert.deepEqual(got, ref, `chunk size ${chunkSize}`);
    }
  });

  test('start: yields from that offset (the format description is read first)', async () => {
    const evs = splitEvents('mysql97-full.binlog');
    const start = evs[5].pos;
    const got = await all(FULL, { start });
    assert.equal(got[0].pos, start);
    assert.equal(got.length, evs.length - 5);
  });

  test('a start inside an event: the error says which event it is inside of', async () => {
    const evs = splitEvents('mysql97-full.binlog');
    // an event long enough that a start 1 byte into it reads a damaged header, not a plausible event
    const e = evs.find((x, i) => i > 2 && x.buf.length > 40)!;
    await assert.rejects(all(FULL, { start: e.pos + 1 }), (err: unknown) => {
      assert.ok(err instanceof DecodeError, String(err));
      assert.match(
        err.message,
        new RegExp(
          `start ${e.pos + 1} is inside the event at ${e.pos}, which ends at ${e.pos + e.buf.length}`,
        ),
      );
      return true;
    });
  });

  test('a start inside the FORMAT_DESCRIPTION (the first event): refused, not moved to the next event', async () => {
    const fde = splitEvents('mysql97-full.binlog')[0];
    for (const start of [5, fde.pos + fde.buf.length - 1]) {
      await assert.rejects(all(FULL, { start }), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.equal(
          err.message,
          `start ${start} is inside the event at 4, which ends at ${4 + fde.buf.length}: start where an event begins`,
        );
        return true;
      });
    }
    // its end is the next event's start: fine
    const got = await all(FULL, { start: 4 + fde.buf.length });
    assert.equal(got[0].pos, 4 + fde.buf.length);
  });

  test('a start before the first event (0-3) or not an integer: a ConfigError', async () => {
    for (const start of [0, 3, -1, 4.5, Number.NaN])
      await assert.rejects(all(FULL, { start }), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.match(err.message, /^start must be a byte offset >= 4 \(where the first event begins\), got /);
        return true;
      });
  });

  test('payload events follow their TRANSACTION_PAYLOAD unless expandPayloads is false', async () => {
    const f = join(FIXTURES, 'mysql97-compressed.binlog');
    const expanded = await all(f);
    const flat = await all(f, { expandPayloads: false });
    assert.ok(expanded.length > flat.length);
    const i = expanded.findIndex((e) => e.type === 'transaction_payload');
    assert.equal(expanded[i + 1].payload, expanded[i].pos);
    assert.ok(flat.every((e) => e.payload === undefined));
  });

  test('a file without the magic is ERR_BAD_MAGIC', async () => {
    const f = join(tmp, 'nomagic');
    writeFileSync(f, Buffer.from('hello world, not a binlog'));
    await assert.rejects(all(f), rejectsWith(ErrorCode.ERR_BAD_MAGIC, 0));
    writeFileSync(f, Buffer.alloc(0));
    await assert.rejects(all(f), rejectsWith(ErrorCode.ERR_BAD_MAGIC, 0));
  });

  test('a MySQL binlog_encryption file (\\xfdbin header) is ERR_ENCRYPTED naming its key', async () => {
    // the layout of the header a MySQL 9.7 server wrote (magic, version 1, field 1: the key's name)
    const key = 'MySQLReplicationKey_21cb217c-f018-11f1-8c7a-02fc00000001_1';
    const head = Buffer.alloc(512);
    Buffer.from([0xfd, 0x62, 0x69, 0x6e, 1, 1, key.length]).copy(head);
    head.write(key, 7, 'latin1');
    const f = join(tmp, 'encrypted');
    writeFileSync(f, head);
    await assert.rejects(all(f), (e: unknown) => {
      rejectsWith(ErrorCode.ERR_ENCRYPTED, 0)(e);
      assert.match((e as Error).message, new RegExp(`binlog_encryption=ON, header version 1, key ${key}\\)`));
      return true;
    });
    // a short or odd header still says what it is
    writeFileSync(f, head.subarray(0, 5));
    await assert.rejects(all(f), rejectsWith(ErrorCode.ERR_ENCRYPTED, 0));
  });

  test('a file whose first event is not a format description is ERR_NO_FORMAT_DESCRIPTION', async () => {
    const evs = splitEvents('mysql97-full.binlog');
    const f = join(tmp, 'nofde');
    writeFileSync(f, Buffer.concat([Buffer.from([0xfe, 0x62, 0x69, 0x6e]), evs[2].buf]));
    await assert.rejects(all(f), rejectsWith(ErrorCode.ERR_NO_FORMAT_DESCRIPTION, 4));
  });

  test('a truncated file: every event before the cut, then ERR_TRUNCATED at the cut event', async () => {
    const data = readFileSync(FULL);
    const evs = splitEvents('mysql97-full.binlog');
    for (const k of [3, 9, evs.length - 1]) {
      const cut = evs[k].pos + Math.min(10, evs[k].buf.length - 1);
      const f = join(tmp, `cut-${k}`);
      writeFileSync(f, data.subarray(0, cut));
      const seen: number[] = [];
      await assert.rejects(
        (async () => {
          for await (const ev of readBinlogFile(f)) seen.push(ev.pos);
        })(),
        rejectsWith(ErrorCode.ERR_TRUNCATED, evs[k].pos),
      );
      assert.deepEqual(
        seen,
        evs.slice(0, k).map((e) => e.pos),
      );
    }
  });

  test('an aborted signal rejects with AbortError', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(all(FULL, { signal: ac.signal }), (e: unknown) => e instanceof AbortError);
    const ac2 = new AbortController();
    let n = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of readBinlogFile(FULL, { signal: ac2.signal, chunkSize: 64 })) {
          if (++n === 3) ac2.abort();
        }
      })(),
      (e: unknown) => e instanceof AbortError && e.code === ErrorCode.ERR_ABORTED,
    );
  });

  test('an abort takes effect at the next event, also when the rest of the file is already read', async () => {
    // the default chunk holds the whole fixture: no further read would notice the abort
    const ac = new AbortController();
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const ev of readBinlogFile(FULL, { signal: ac.signal })) {
          seen.push(ev.pos);
          if (seen.length === 3) ac.abort();
        }
      })(),
      (e: unknown) => e instanceof AbortError,
    );
    assert.equal(seen.length, 3);
  });

  test('a file that ends after its magic is ERR_NO_FORMAT_DESCRIPTION; a start past the end a ConfigError', async () => {
    const f = join(tmp, 'magic-only');
    writeFileSync(f, Buffer.from([0xfe, 0x62, 0x69, 0x6e]));
    await assert.rejects(all(f), rejectsWith(ErrorCode.ERR_NO_FORMAT_DESCRIPTION, 4));
    const size = readFileSync(FULL).length;
    await assert.rejects(all(FULL, { start: size + 100 }), (e: unknown) => e instanceof ConfigError);
    // at the very end: nothing after it, no error
    assert.deepEqual(await all(FULL, { start: size }), []);
  });

  test('binlog v3 (START_EVENT_V3, 19-byte header) and v1 (13-byte header) files', async () => {
    for (const version of [3, 1] as const) {
      const hl = version === 3 ? 19 : 13;
      const header = (code: number, len: number, pos: number): Buffer => {
        const h = Buffer.alloc(hl);
        h.writeUInt32LE(1_000_000_000, 0);
        h[4] = code;
        h.writeUInt32LE(7, 5);
        h.writeUInt32LE(len, 9);
        if (version === 3) h.writeUInt32LE(pos, 13); // v3 log_pos: the start of the event
        return h;
      };
      const startBody = Buffer.alloc(56);
      startBody.writeUInt16LE(version, 0);
      startBody.write('4.0.30-log', 2, 'latin1');
      const start = Buffer.concat([header(1, hl + 56, 4), startBody]);
      // QUERY with the pre-5.0 11-byte post-header: thread_id, exec_time, db_len, error_code (no status vars)
      const post = Buffer.alloc(11);
      post.writeUInt32LE(42, 0);
      post[8] = 2;
      const qbody = Buffer.concat([post, Buffer.from('db\0SELECT 1', 'latin1')]);
      const qpos = 4 + start.length;
      const query = Buffer.concat([header(2, hl + qbody.length, qpos), qbody]);
      const f = join(tmp, `v${version}`);
      writeFileSync(f, Buffer.concat([Buffer.from([0xfe, 0x62, 0x69, 0x6e]), start, query]));
      const evs = await all(f);
      assert.deepEqual(
        evs.map((e) => [e.type, e.pos, e.serverId]),
        [
          ['start_v3', 4, 7],
          ['query', qpos, 7],
        ],
      );
      const s = evs[0];
      if (s.type === 'start_v3') {
        assert.equal(s.binlogVersion, version);
        assert.equal(s.serverVersion, '4.0.30-log');
      }
      const q = evs[1];
      assert.equal(q.type, 'query');
      if (q.type === 'query') {
        assert.equal(q.query, 'SELECT 1');
        assert.equal(q.schema, 'db');
        assert.equal(q.threadId, 42);
      }
    }
  });
});
