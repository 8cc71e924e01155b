// BinlogParser: framing, checksums, the spec's error cases (§3) and the stream-mode details.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BinlogParser } from '../../src/binlog/parser.js';
import { EventFlag, EventType } from '../../src/binlog/constants.js';
import { DecodeError, ErrorCode } from '../../src/errors.js';
import type { BinlogEvent } from '../../src/binlog/types.js';
import { fixCrc, splitEvents } from './helpers.js';

function isDecodeError(code: string, pos?: number) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (pos !== undefined) assert.equal(e.pos, pos);
    return true;
  };
}

const FULL = splitEvents('mysql97-full.binlog');
const byType = (p: BinlogParser, upTo: number): BinlogEvent[] =>
  FULL.slice(0, upTo).map((e) => p.parse(e.buf, { file: 'f', pos: e.pos }));

describe('BinlogParser', () => {
  test('decodes a whole MySQL 9.7 binlog event by event', () => {
    const p = new BinlogParser();
    const evs = byType(p, FULL.length);
    assert.equal(evs[0].type, 'format_description');
    assert.deepEqual(
      evs.map((e) => e.pos),
      FULL.map((e) => e.pos),
    );
    for (const e of evs) assert.equal(e.next, e.pos + FULL.find((r) => r.pos === e.pos)!.buf.length);
    assert.ok(evs.some((e) => e.type === 'write_rows'));
    const fde = evs[0];
    assert.equal(fde.type, 'format_description');
    if (fde.type === 'format_description') {
      assert.equal(fde.checksumAlg, 'crc32');
      assert.match(fde.serverVersion, /^9\.7\./);
      assert.equal(fde.flavor, 'mysql');
    }
  });

  test('a CRC32 mismatch is ERR_CHECKSUM_MISMATCH at the event; verifyChecksum: false skips the check', () => {
    const p = new BinlogParser();
    p.parse(FULL[0].buf, { pos: 4 });
    const q = FULL.find((e) => e.code === EventType.QUERY_EVENT)!;
    const bad = Buffer.from(q.buf);
    bad[bad.length - 6] ^= 0x20; // a byte of the query text
    assert.throws(
      () => p.parse(bad, { file: 'x.000001', pos: q.pos }),
      (e: unknown) => {
        isDecodeError(ErrorCode.ERR_CHECKSUM_MISMATCH, q.pos)(e);
        assert.equal((e as DecodeError).file, 'x.000001');
        return true;
      },
    );
    const lax = new BinlogParser({ verifyChecksum: false });
    lax.parse(FULL[0].buf, { pos: 4 });
    assert.equal(lax.parse(bad, { pos: q.pos }).type, 'query');
  });

  test("the FDE's CRC is computed with LOG_EVENT_BINLOG_IN_USE_F cleared", () => {
    const fde = Buffer.from(FULL[0].buf);
    assert.equal(fde[17] & 1, 0);
    fde[17] |= 1; // the server sets it while the file is open, without rewriting the CRC
    assert.equal(new BinlogParser().parse(fde, { pos: 4 }).type, 'format_description');
    fde[20] ^= 1;
    assert.throws(
      () => new BinlogParser().parse(fde, { pos: 4 }),
      isDecodeError(ErrorCode.ERR_CHECKSUM_MISMATCH),
    );
  });

  test('truncated events are ERR_TRUNCATED', () => {
    const p = new BinlogParser();
    p.parse(FULL[0].buf, { pos: 4 });
    const q = FULL.find((e) => e.code === EventType.QUERY_EVENT)!;
    for (const n of [0, 5, 12, 18, 19, q.buf.length - 1]) {
      assert.throws(
        () => p.parse(q.buf.subarray(0, n), { pos: q.pos }),
        isDecodeError(ErrorCode.ERR_TRUNCATED, q.pos),
      );
    }
  });

  test('an unknown event type is data: { type: "unknown", code, raw }', () => {
    const p = new BinlogParser();
    p.parse(FULL[0].buf, { pos: 4 });
    const x = Buffer.from(FULL.find((e) => e.code === EventType.XID_EVENT)!.buf);
    x[4] = 0x7b;
    const ev = p.parse(fixCrc(x), { pos: 100 });
    assert.equal(ev.type, 'unknown');
    assert.equal(ev.code, 0x7b);
    if (ev.type === 'unknown') assert.equal(ev.raw.length, x.length - 19 - 4);
  });

  test('an unknown column type is ERR_UNKNOWN_COLUMN_TYPE', () => {
    const p = new BinlogParser();
    const tmIndex = FULL.findIndex((e) => e.code === EventType.TABLE_MAP_EVENT);
    for (const e of FULL.slice(0, tmIndex)) p.parse(e.buf, { pos: e.pos });
    const tm = Buffer.from(FULL[tmIndex].buf);
    // header 19, post-header 8, db "bs", table "types", column count: the 2nd column (TINYINT) type byte
    const typesAt = 19 + 8 + 1 + 2 + 1 + 1 + 5 + 1 + 1;
    assert.equal(tm[typesAt], 3); // id INT
    assert.equal(tm[typesAt + 1], 1); // ti TINYINT
    tm[typesAt + 1] = 0x7e; // no such type; like TINY it has no metadata bytes
    p.parse(fixCrc(tm), { pos: FULL[tmIndex].pos });
    const rows = FULL[tmIndex + 1];
    assert.equal(rows.code, EventType.WRITE_ROWS_EVENT);
    assert.throws(
      () => p.parse(rows.buf, { pos: rows.pos }),
      isDecodeError(ErrorCode.ERR_UNKNOWN_COLUMN_TYPE, rows.pos),
    );
  });

  test('a rows event without its table map is ERR_MISSING_TABLE_MAP', () => {
    const p = new BinlogParser();
    p.parse(FULL[0].buf, { pos: 4 });
    const rows = FULL.find((e) => e.code === EventType.WRITE_ROWS_EVENT)!;
    assert.throws(
      () => p.parse(rows.buf, { pos: rows.pos }),
      isDecodeError(ErrorCode.ERR_MISSING_TABLE_MAP, rows.pos),
    );
  });

  test('the table-map cache lives across statements in the context', () => {
    const p = new BinlogParser();
    const evs = byType(p, FULL.length);
    const tm = evs.filter((e) => e.type === 'table_map');
    assert.ok(tm.length > 0);
    const latest = new Map<number, BinlogEvent>();
    for (const t of tm) if (t.type === 'table_map') latest.set(t.tableId, t);
    for (const [id, t] of latest) assert.equal(p.context.tables.get(id), t);
    // a rows event decoded later still finds its table map (no TABLE_MAP right before it)
    const rows = FULL.find((e) => e.code === EventType.DELETE_ROWS_EVENT)!;
    assert.equal(p.parse(rows.buf, { pos: rows.pos }).type, 'delete_rows');
  });

  test('an event length that disagrees with the buffer is an error', () => {
    const p = new BinlogParser();
    const longer = Buffer.concat([FULL[0].buf, Buffer.alloc(3)]);
    assert.throws(() => p.parse(longer, { pos: 4 }), isDecodeError(ErrorCode.ERR_BAD_EVENT));
  });

  test('stream mode: positions from end_log_pos, file names from ROTATE', () => {
    const p = new BinlogParser();
    const evs = FULL.map((e) => p.parse(e.buf));
    assert.deepEqual(
      evs.map((e) => e.pos),
      FULL.map((e) => e.pos),
    );
    const rot = evs[evs.length - 1];
    assert.equal(rot.type, 'rotate');
    if (rot.type === 'rotate') assert.equal(p.context.streamFile, rot.nextFile);
  });

  /** A START_ENCRYPTION event after the fixture's FDE (scheme 1, key version 1, 12-byte nonce, CRC32). */
  function startEncryption(after: { pos: number; buf: Buffer }, flags: number): Buffer {
    const se = Buffer.alloc(19 + 17 + 4);
    se.writeUInt32LE(1, 0);
    se[4] = EventType.START_ENCRYPTION_EVENT;
    se.writeUInt32LE(1, 5);
    se.writeUInt32LE(se.length, 9);
    se.writeUInt32LE(after.pos + after.buf.length + se.length, 13);
    se.writeUInt16LE(flags, 17);
    se[19] = 1;
    se.writeUInt32LE(1, 20);
    return fixCrc(se);
  }

  test('events after a MariaDB START_ENCRYPTION are ERR_ENCRYPTED (file mode)', () => {
    const maria = splitEvents('mariadb1011.binlog');
    const p = new BinlogParser();
    p.parse(maria[0].buf, { pos: 4 });
    const ev = p.parse(startEncryption(maria[0], 0), { pos: 256 });
    assert.equal(ev.type, 'mariadb_start_encryption');
    assert.throws(() => p.parse(maria[1].buf, { pos: 296 }), isDecodeError(ErrorCode.ERR_ENCRYPTED, 296));
  });

  test('a START_ENCRYPTION marked ignorable (as a dump sends it: the events after are decrypted) does not stop a file', () => {
    const maria = splitEvents('mariadb1011.binlog');
    const p = new BinlogParser();
    p.parse(maria[0].buf, { pos: 4 });
    const ev = p.parse(startEncryption(maria[0], EventFlag.LOG_EVENT_IGNORABLE_F), { pos: 256 });
    assert.equal(ev.type, 'mariadb_start_encryption');
    const plain = new BinlogParser();
    plain.parse(maria[0].buf, { pos: 4 });
    for (const e of maria.slice(1, 6))
      assert.deepEqual(p.parse(e.buf, { pos: e.pos }), plain.parse(e.buf, { pos: e.pos }));
  });

  test('TRANSACTION_PAYLOAD: inner events in order, with the payload position', () => {
    const comp = splitEvents('mysql97-compressed.binlog');
    const p = new BinlogParser();
    let inner: BinlogEvent[] = [];
    for (const e of comp) {
      const ev = p.parse(e.buf, { pos: e.pos });
      if (ev.type === 'transaction_payload') {
        inner = p.payloadEvents(ev);
        assert.ok(inner.length >= 3);
        for (const i of inner) {
          assert.equal(i.pos, ev.pos);
          assert.equal(i.next, ev.next);
          assert.equal(i.payload, ev.pos);
        }
        assert.equal(inner[0].type, 'query');
        assert.equal(inner[inner.length - 1].type, 'xid');
      }
    }
    assert.ok(inner.length > 0);
  });
});
