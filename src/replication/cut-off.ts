// Transactions a source's crash cut off.
//
// A transaction never spans binlog files, and the source makes a transaction's events visible to dump
// threads only once all of them are written. Two things break that after a crash (SIGKILL, power loss)
// in the middle of writing a transaction: the file it was writing keeps a tail of the transaction's
// first events, possibly ending inside an event, and the restarted server starts a new file. Its crash
// recovery rolls the transaction back (its XID never reached the binlog), but a dump that reads the old
// file, now closed, to its end hands out the tail's whole events: a transaction with no end.
//
// MariaDB keeps such tails (MySQL cuts its files back to the last whole transaction on recovery) and
// then answers a dump that reaches the cut event with error 1236 "binlog truncated in the middle of
// event". The server's own replica stops there; mysqlbinlog prints ROLLBACK after the FORMAT_DESCRIPTION
// of a file opened at server start, which is how a replica's applier learns to drop an open transaction.
// The stream does the same in band: it hands the consumer a ROLLBACK query event, flagged
// LOG_EVENT_ARTIFICIAL_F, between the tail's events and the next file's.
import { computeEventCrc } from '../binlog/checksum.js';
import { ChecksumAlg, EventType } from '../binlog/constants.js';
import type { FormatState } from '../binlog/context.js';
import type { QueryEvent } from '../binlog/types.js';
import { ServerError } from '../errors.js';
import { LOG_EVENT_ARTIFICIAL_F } from './positions.js';

/** ER_MASTER_FATAL_ERROR_READING_BINLOG */
const ER_SOURCE_FATAL_ERROR_READING_BINLOG = 1236;

/** The source's answer when a dump reaches an event cut short at the end of a closed binlog file (LOG_READ_TRUNC). */
export function isCutOffTail(e: unknown): e is ServerError {
  return (
    e instanceof ServerError &&
    e.errno === ER_SOURCE_FATAL_ERROR_READING_BINLOG &&
    /truncated in the middle of event/i.test(e.serverMessage)
  );
}

/** What a ROLLBACK event is laid out by: the format description in force, or v4 defaults before one. */
function layout(format: FormatState): { header: number; post: number; crc: boolean } {
  const crc = format.checksumAlg === ChecksumAlg.CRC32;
  if (!format.described) return { header: 19, post: 13, crc };
  // v4 post-header: thread id 4, exec time 4, schema length 1, error code 2, status vars length 2;
  // binlog v1/v3 stop before the status vars length.
  return {
    header: format.headerLength,
    post: Math.max(format.postHeaderLengths[EventType.QUERY_EVENT], 11),
    crc,
  };
}

/**
 * The artificial ROLLBACK: a QUERY event with no schema, thread, error or status variables, flagged
 * LOG_EVENT_ARTIFICIAL_F, end_log_pos 0; at `pos` of `file`, where it takes no place (`next` = `pos`).
 */
export function rollbackEvent(file: string, pos: number, ts: number, serverId: number): QueryEvent {
  return {
    type: 'query',
    code: EventType.QUERY_EVENT,
    file,
    pos,
    next: pos,
    logPos: 0,
    ts,
    serverId,
    flags: LOG_EVENT_ARTIFICIAL_F,
    threadId: 0,
    execTime: 0,
    errorCode: 0,
    schema: '',
    query: 'ROLLBACK',
    statusVars: {},
  };
}

/** The bytes of {@link rollbackEvent} in the layout `format` describes (for raw mode). */
export function rollbackEventBytes(format: FormatState, ts: number, serverId: number): Buffer {
  const { header, post, crc } = layout(format);
  const query = 'ROLLBACK';
  const length = header + post + 1 + query.length + (crc ? 4 : 0);
  const buf = Buffer.alloc(length);
  buf.writeUInt32LE(ts >>> 0, 0);
  buf[4] = EventType.QUERY_EVENT;
  buf.writeUInt32LE(serverId >>> 0, 5);
  if (header >= 13) buf.writeUInt32LE(length, 9);
  // end_log_pos (13..16) stays 0
  if (header >= 19) buf.writeUInt16LE(LOG_EVENT_ARTIFICIAL_F, 17);
  // post-header all zero: thread 0, exec time 0, empty schema, no error, no status variables;
  // then the schema's NUL and the statement
  buf.write(query, header + post + 1, 'latin1');
  if (crc) buf.writeUInt32LE(computeEventCrc(buf, length - 4), length - 4);
  return buf;
}
