// Resuming a backup directory: which file continues, and where its last complete event ends.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { fdeChecksumAlg } from '../../src/binlog/events/format-description.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DecodeError, ErrorCode, ReplicationError } from '../../src/errors.js';
import { BINLOG_MAGIC } from '../../src/binlog/constants.js';
import { checkLocalFile, completeLength, findBackupEnd } from '../../src/replication/backup.js';
import { FIXTURES } from '../binlog/helpers.js';

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
  // a length of 5 with data after it (not the zeros a crash leaves past the length field)
  const bad = event(40).fill(0x61, 13);
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
  assert.deepEqual(await findBackupEnd(d), { file: 'bin.000010', size: 164, dropped: 30, reason: 'partial' });
  assert.equal(statSync(join(d, 'bin.000010')).size, 164);
  assert.ok(readFileSync(join(d, 'bin.000010')).equals(partial.subarray(0, 164)));
  // a file that has not got its FDE yet starts again from nothing
  writeFileSync(join(d, 'bin.000011'), Buffer.concat([BINLOG_MAGIC, event(100, 15).subarray(0, 50)]));
  assert.deepEqual(await findBackupEnd(d), { file: 'bin.000011', size: 0, dropped: 50, reason: 'partial' });
  assert.equal(statSync(join(d, 'bin.000011')).size, 0);
});

test('checkLocalFile: real server files with checksums and without are kept whole', async () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.binlog'));
  assert.ok(files.length >= 5, FIXTURES);
  let crc = 0;
  for (const f of files) {
    const path = join(FIXTURES, f);
    const size = statSync(path).size;
    assert.deepEqual(await checkLocalFile(path), { size, dropped: 0 }, f);
    const fde = readFileSync(path).subarray(4, 4 + readFileSync(path).readUInt32LE(4 + 9));
    if (fdeChecksumAlg(fde, 19) === 1) crc++;
  }
  assert.ok(crc >= 3, 'files with CRC32 among them');
});

test('checkLocalFile: a bad checksum, or zeros after a crash, cut the file there; an old file has no CRC to check', async () => {
  const path = join(FIXTURES, 'mysql97-full.binlog');
  const whole = readFileSync(path);
  // the offsets of its events, by their lengths
  const starts: number[] = [];
  for (let off = 4; off < whole.length; off += whole.readUInt32LE(off + 9)) starts.push(off);
  const f = join(dir, 'crc.000001');
  // one byte changed inside an event in the middle: that event and all after it go
  const mid = starts[Math.floor(starts.length / 2)];
  const damaged = Buffer.from(whole);
  damaged[mid + 20] ^= 0x40;
  writeFileSync(f, damaged);
  assert.deepEqual(await checkLocalFile(f), { size: mid, dropped: whole.length - mid, reason: 'checksum' });
  // the FDE's own checksum
  const badFde = Buffer.from(whole);
  badFde[4 + 30] ^= 1;
  writeFileSync(f, badFde);
  assert.deepEqual(await checkLocalFile(f), { size: 4, dropped: whole.length - 4, reason: 'checksum' });
  // a power loss: the size reached the disk, the data did not (zeros from an event start, or inside one)
  const last = starts[starts.length - 1];
  for (const [from, keep] of [
    [last, last],
    [last + 6, last], // from inside its header (a page boundary there): the length reads 0
    [last + 25, last],
  ]) {
    const zeroed = Buffer.from(whole);
    zeroed.fill(0, from);
    writeFileSync(f, zeroed);
    assert.deepEqual(
      await checkLocalFile(f),
      { size: keep, dropped: whole.length - keep, reason: from < last + 9 ? 'zeros' : 'checksum' },
      `zeros from ${from}`,
    );
  }
  // zeros, then something that is not: damage, not a crash's tail
  const odd = Buffer.concat([whole, Buffer.alloc(40), Buffer.from([7])]);
  writeFileSync(f, odd);
  await assert.rejects(
    checkLocalFile(f),
    (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_BAD_EVENT && e.pos === whole.length,
  );
  // no checksums (binlog_checksum=NONE): a changed byte cannot be seen, the file is kept
  const plain = readFileSync(join(FIXTURES, 'mysql97-noblob-nochecksum.binlog'));
  const changed = Buffer.from(plain);
  changed[plain.length - 10] ^= 1;
  writeFileSync(f, changed);
  assert.deepEqual(await checkLocalFile(f), { size: plain.length, dropped: 0 });
});

test('checkLocalFile: an event larger than a read (1 MiB) is checked in pieces', async () => {
  const f = join(dir, 'big.000001');
  const fde = readFileSync(join(FIXTURES, 'mysql97-full.binlog')).subarray(4);
  const fdeLen = fde.readUInt32LE(9);
  const big = Buffer.alloc(3 * 1024 * 1024 + 77, 0x61);
  big[4] = 0x1d; // ROWS_QUERY, whatever: only the frame and its CRC matter here
  big.writeUInt32LE(big.length, 9);
  big.writeUInt32LE(crc32(big.subarray(0, big.length - 4)), big.length - 4);
  const file = Buffer.concat([BINLOG_MAGIC, fde.subarray(0, fdeLen), big]);
  writeFileSync(f, file);
  assert.deepEqual(await checkLocalFile(f), { size: file.length, dropped: 0 });
  file[file.length - 1024 * 1024 - 5] ^= 1; // in its second MiB
  writeFileSync(f, file);
  assert.deepEqual(await checkLocalFile(f), {
    size: 4 + fdeLen,
    dropped: big.length,
    reason: 'checksum',
  });
});
