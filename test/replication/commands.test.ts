import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import {
  BINLOG_SEND_ANNOTATE_ROWS_EVENT,
  dumpStartPast4GiB,
  encodeComBinlogDump,
  encodeComBinlogDumpGtid,
  encodeComRegisterSlave,
  encodeSemiSyncAck,
} from '../../src/replication/commands.js';

test('COM_BINLOG_DUMP matches the capture in the MariaDB KB (com_binlog_dump)', () => {
  // KB capture: 12 | 34 06 00 00 (pos 1588) | 02 00 (annotate rows) | 75 27 00 00 (server 10101) | mysql-bin.000034
  const got = encodeComBinlogDump({
    serverId: 10101,
    file: 'mysql-bin.000034',
    pos: 1588,
    flags: BINLOG_SEND_ANNOTATE_ROWS_EVENT,
  });
  assert.equal(
    got.toString('hex'),
    '1234060000020075270000' + Buffer.from('mysql-bin.000034').toString('hex'),
  );
});

test('COM_BINLOG_DUMP refuses positions beyond 32 bits', () => {
  assert.throws(
    () => encodeComBinlogDump({ serverId: 1, file: 'x', pos: 2 ** 32, flags: 0 }),
    /does not fit/,
  );
});

test('COM_BINLOG_DUMP_GTID layout', () => {
  const data = Buffer.from('0100000000000000', 'hex');
  const got = encodeComBinlogDumpGtid({ serverId: 7, file: 'b.1', pos: 4, flags: 0, gtidData: data });
  const expected =
    '1e' +
    '0400' +
    '07000000' +
    '03000000' +
    Buffer.from('b.1').toString('hex') +
    '0400000000000000' +
    '08000000' +
    data.toString('hex');
  assert.equal(got.toString('hex'), expected);
});

test('COM_REGISTER_SLAVE layout', () => {
  const got = encodeComRegisterSlave({ serverId: 258, hostname: 'h', user: 'u', password: '', port: 3306 });
  assert.equal(
    got.toString('hex'),
    '15' + '02010000' + '0168' + '0175' + '00' + 'ea0c' + '00000000' + '00000000',
  );
  assert.throws(
    () => encodeComRegisterSlave({ serverId: 1, hostname: 'x'.repeat(256), user: '', password: '', port: 0 }),
    /longer than 255/,
  );
});

test('semi-sync ACK layout', () => {
  assert.equal(encodeSemiSyncAck('f', 0x0102).toString('hex'), 'ef' + '0201000000000000' + '66');
});

// COM_BINLOG_DUMP's position is 4 bytes. A transaction boundary past 4 GiB is the end of its file (only a
// transaction grows a file past max_binlog_size, and the file rotates right after it), so a resume point
// there starts the dump at the next file instead. (No server here writes a 4 GiB file in test time.)
test('a start past 4 GiB: the next file when it is the end of a rotated file, else a clear ConfigError', () => {
  const big = 2 ** 32 + 1000;
  const logs = [
    { file: 'binlog.000006', size: 900 },
    { file: 'binlog.000007', size: big },
    { file: 'binlog.000008', size: 157 },
  ];
  assert.deepEqual(dumpStartPast4GiB('binlog.000007', big, logs), { file: 'binlog.000008', pos: 4 });
  for (const [file, pos, why] of [
    ['binlog.000007', big - 500, /not the end of a rotated file \(4294968296 bytes\)/],
    ['binlog.000008', big, /the last file/],
    ['binlog.000009', big, /no such binlog file/],
  ] as const)
    assert.throws(
      () => dumpStartPast4GiB(file, pos, logs),
      (e: unknown) => e instanceof ConfigError && why.test(e.message),
    );
  assert.throws(() => encodeComBinlogDump({ serverId: 1, file: 'b', pos: big, flags: 0 }), ConfigError);
});
