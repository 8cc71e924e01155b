// Resuming a backup directory: which file continues, and where its last complete event ends.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DecodeError, ErrorCode, ReplicationError } from '../../src/errors.js';
import { BINLOG_MAGIC } from '../../src/binlog/constants.js';
import { completeLength, findBackupEnd } from '../../src/replication/backup.js';

const dir = mkdtempSync(join(tmpdir(), 'binlogsync-backup-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An event of `len` bytes (header with event_len at 9; the rest zeros). */
function event(len: number, type = 2): Buffer {
  const b = Buffer.alloc(len);
  b[4] = type;
  b.writeUInt32LE(len, 9);
  return b;
}

test('completeLength: whole events count, a partial one at the end does not', async () => {
  const f = join(dir, 'a.000001');
  writeFileSync(f, Buffer.concat([BINLOG_MAGIC, event(100, 15), event(40), event(19)]));
  assert.equal(await completeLength(f), 4 + 100 + 40 + 19);
  for (const cut of [1, 7, 18, 19, 39]) {
    writeFileSync(f, Buffer.concat([BINLOG_MAGIC, event(100, 15), event(40).subarray(0, cut)]));
    assert.equal(await completeLength(f), 104, `cut after ${cut} bytes`);
  }
  writeFileSync(f, BINLOG_MAGIC);
  assert.equal(await completeLength(f), 4);
  writeFileSync(f, BINLOG_MAGIC.subarray(0, 2));
  assert.equal(await completeLength(f), 0);
});

test('completeLength: not a binlog, or a length no event can have, is an error', async () => {
  const f = join(dir, 'b.000001');
  writeFileSync(f, Buffer.from('hello world, this is text'));
  await assert.rejects(
    completeLength(f),
    (e: unknown) => e instanceof ReplicationError && e.code === ErrorCode.ERR_BACKUP_MISMATCH,
  );
  const bad = event(40);
  bad.writeUInt32LE(5, 9);
  writeFileSync(f, Buffer.concat([BINLOG_MAGIC, event(100, 15), bad]));
  await assert.rejects(
    completeLength(f),
    (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_BAD_EVENT && e.pos === 104,
  );
});

test('findBackupEnd: the highest-numbered file, cut back to its last whole event', async () => {
  const d = mkdtempSync(join(dir, 'set-'));
  assert.equal(await findBackupEnd(join(d, 'missing')), undefined);
  assert.equal(await findBackupEnd(d), undefined);
  writeFileSync(join(d, 'notes.txt'), 'not a binlog');
  writeFileSync(join(d, 'bin.000009'), Buffer.concat([BINLOG_MAGIC, event(100, 15)]));
  const partial = Buffer.concat([BINLOG_MAGIC, event(100, 15), event(60), event(80).subarray(0, 30)]);
  writeFileSync(join(d, 'bin.000010'), partial);
  assert.deepEqual(await findBackupEnd(d), { file: 'bin.000010', size: 164 });
  assert.equal(statSync(join(d, 'bin.000010')).size, 164);
  assert.ok(readFileSync(join(d, 'bin.000010')).equals(partial.subarray(0, 164)));
  // a file that has not got its FDE yet starts again from nothing
  writeFileSync(join(d, 'bin.000011'), Buffer.concat([BINLOG_MAGIC, event(100, 15).subarray(0, 50)]));
  assert.deepEqual(await findBackupEnd(d), { file: 'bin.000011', size: 0 });
  assert.equal(statSync(join(d, 'bin.000011')).size, 0);
});
