// Replication command payloads (the 1-byte command code included; the framing layer adds the header).
//
// COM_REGISTER_SLAVE (0x15): MySQL sql/rpl_source.cc register_replica(); MariaDB sql/sql_repl.cc
//   u8 0x15 | u32 server_id | u8 len + hostname | u8 len + user | u8 len + password | u16 port
//   | u32 replication_rank (ignored) | u32 master_id (0)
// COM_BINLOG_DUMP (0x12): dev.mysql.com "COM_BINLOG_DUMP"; MariaDB KB com_binlog_dump
//   u8 0x12 | u32 binlog_pos | u16 flags | u32 server_id | filename (rest of packet)
//   (binlog_pos is 4 bytes: positions past 4 GiB need COM_BINLOG_DUMP_GTID's 8-byte field on MySQL)
// COM_BINLOG_DUMP_GTID (0x1e): MySQL sql/rpl_source.cc com_binlog_dump_gtid()
//   u8 0x1e | u16 flags | u32 server_id | u32 name_len | name | u64 pos | u32 data_len | data (encoded GTID set)
// Semi-sync ACK: MySQL plugin/semisync/semisync_replica.cc ReplSemiSyncSlave::slaveReply
//   u8 0xef | u64 binlog_pos | filename (rest)
import { ConfigError } from '../errors.js';

export const COM_BINLOG_DUMP = 0x12;
export const COM_REGISTER_SLAVE = 0x15;
export const COM_BINLOG_DUMP_GTID = 0x1e;

export const BINLOG_DUMP_NON_BLOCK = 0x01;
/** MariaDB: also send ANNOTATE_ROWS events. */
export const BINLOG_SEND_ANNOTATE_ROWS_EVENT = 0x02;
export const BINLOG_THROUGH_POSITION = 0x02;
export const BINLOG_THROUGH_GTID = 0x04;

export const SEMI_SYNC_INDICATOR = 0xef;
export const SEMI_SYNC_NEED_ACK = 0x01;

function lenPrefixed(value: string, what: string): Buffer {
  const b = Buffer.from(value, 'utf8');
  if (b.length > 255) throw new ConfigError(`${what} is longer than 255 bytes`);
  return Buffer.concat([Buffer.of(b.length), b]);
}

export interface RegisterReplica {
  serverId: number;
  hostname: string;
  user: string;
  password: string;
  port: number;
}

export function encodeComRegisterSlave(r: RegisterReplica): Buffer {
  const head = Buffer.alloc(5);
  head[0] = COM_REGISTER_SLAVE;
  head.writeUInt32LE(r.serverId >>> 0, 1);
  const tail = Buffer.alloc(10);
  tail.writeUInt16LE(r.port & 0xffff, 0);
  tail.writeUInt32LE(0, 2);
  tail.writeUInt32LE(0, 6);
  return Buffer.concat([
    head,
    lenPrefixed(r.hostname, 'replica host name'),
    lenPrefixed(r.user, 'replica user name'),
    lenPrefixed(r.password, 'replica password'),
    tail,
  ]);
}

/** Largest position COM_BINLOG_DUMP can carry (4 bytes). */
export const MAX_DUMP_POS = 0xffffffff;

/**
 * Where to dump from for a place past 4 GiB, which COM_BINLOG_DUMP cannot carry. A binlog file grows past
 * max_binlog_size (at most 1 GiB) only by the transaction that makes it so, and the source rotates right
 * after that transaction: a transaction boundary past 4 GiB is the end of its file, and the next file's
 * start (in SHOW BINARY LOGS order) is the same place. `logs`: SHOW BINARY LOGS's files and sizes.
 */
export function dumpStartPast4GiB(
  file: string,
  pos: number,
  logs: readonly { file: string; size: number }[],
): { file: string; pos: number } {
  const i = logs.findIndex((l) => l.file === file);
  if (i < 0) throw new ConfigError(`cannot start at ${file}:${pos}: the source lists no such binlog file`);
  const next = logs[i + 1];
  if (logs[i].size !== pos || next === undefined) {
    throw new ConfigError(
      `cannot start at ${file}:${pos}: COM_BINLOG_DUMP takes positions below 4 GiB, and this is not the end ` +
        `of a rotated file (${logs[i].size} bytes${next === undefined ? ', the last file' : ''})`,
    );
  }
  return { file: next.file, pos: 4 };
}

export function encodeComBinlogDump(o: {
  serverId: number;
  file: string;
  pos: number;
  flags: number;
}): Buffer {
  if (o.pos > MAX_DUMP_POS) throw new ConfigError(`binlog position ${o.pos} does not fit COM_BINLOG_DUMP`);
  const head = Buffer.alloc(11);
  head[0] = COM_BINLOG_DUMP;
  head.writeUInt32LE(o.pos, 1);
  head.writeUInt16LE(o.flags, 5);
  head.writeUInt32LE(o.serverId >>> 0, 7);
  return Buffer.concat([head, Buffer.from(o.file, 'utf8')]);
}

export function encodeComBinlogDumpGtid(o: {
  serverId: number;
  file: string;
  pos: number;
  flags: number;
  gtidData: Buffer;
}): Buffer {
  const name = Buffer.from(o.file, 'utf8');
  const head = Buffer.alloc(11);
  head[0] = COM_BINLOG_DUMP_GTID;
  head.writeUInt16LE(o.flags | BINLOG_THROUGH_GTID, 1);
  head.writeUInt32LE(o.serverId >>> 0, 3);
  head.writeUInt32LE(name.length, 7);
  const mid = Buffer.alloc(12);
  mid.writeBigUInt64LE(BigInt(o.pos), 0);
  mid.writeUInt32LE(o.gtidData.length, 8);
  return Buffer.concat([head, name, mid, o.gtidData]);
}

export function encodeSemiSyncAck(file: string, pos: number): Buffer {
  const head = Buffer.alloc(9);
  head[0] = SEMI_SYNC_INDICATOR;
  head.writeBigUInt64LE(BigInt(pos), 1);
  return Buffer.concat([head, Buffer.from(file, 'utf8')]);
}
