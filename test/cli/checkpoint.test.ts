import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCheckpoint, writeCheckpoint } from '../../src/cli/checkpoint.js';
import { ConfigError } from '../../src/errors.js';

test('write then read; no temp file left; missing file is undefined', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-'));
  try {
    const path = join(dir, 'cp.json');
    assert.equal(readCheckpoint(path), undefined);
    writeCheckpoint(path, { file: 'binlog.000002', pos: 1234, gtid: 'u:1-5', flavor: 'mysql' });
    writeCheckpoint(path, { file: 'binlog.000003', pos: 4 });
    const cp = readCheckpoint(path);
    assert.equal(cp?.file, 'binlog.000003');
    assert.equal(cp?.pos, 4);
    assert.equal(cp?.gtid, undefined);
    assert.deepEqual(readdirSync(dir), ['cp.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt or incomplete checkpoint is a clear ConfigError', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-'));
  try {
    const path = join(dir, 'cp.json');
    writeFileSync(path, '{"file":"x"');
    assert.throws(
      () => readCheckpoint(path),
      (e: unknown) => e instanceof ConfigError && /not valid JSON/.test(e.message),
    );
    writeFileSync(path, '{"file":"x","pos":2}');
    assert.throws(() => readCheckpoint(path), /lacks a valid file and pos/);
    writeFileSync(path, '{"file":"x","pos":4.5}');
    assert.throws(() => readCheckpoint(path), /lacks a valid file and pos/);
    writeFileSync(path, '{"file":"x","pos":4,"origin":{"ts":"soon","serverId":1}}');
    assert.throws(() => readCheckpoint(path), /has an invalid origin/);
    writeFileSync(path, '{"file":"x","pos":4,"origin":{"ts":1700000000,"serverId":7}}');
    assert.deepEqual(readCheckpoint(path)?.origin, { ts: 1700000000, serverId: 7 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
