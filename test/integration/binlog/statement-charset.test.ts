// Statement text is logged as the client sent it, in its character_set_client: a QUERY event names that
// charset (Q_CHARSET_CODE), and MySQL's ROWS_QUERY follows the transaction's BEGIN, which names it too;
// MariaDB's ANNOTATE_ROWS names none. Statements are sent here as raw bytes in latin1 (cp1252: € is 0x80)
// and GBK, and a UTF-8 one with a _binary literal that is not UTF-8; the decoded text must hold what the
// server made of them (information_schema's table comment, SELECT of the inserted value), and the exact
// bytes must be given wherever the text cannot hold them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BinlogEvent } from '../../../src/binlog/types.js';
import { readBinlogFile } from '../../../src/file/read-binlog-file.js';
import { COM } from '../../../src/protocol/capabilities.js';
import type { Connection } from '../../../src/protocol/connection.js';
import type { LocalServer } from '../../../src/servers/local-server.js';
import { startTestServer, testServerNames } from '../../harness/servers.js';
import { logStatus, rootConnection } from '../replication/helpers.js';

/** Runs a statement given as bytes (COM_QUERY with the bytes as they are). */
async function sendBytes(conn: Connection, statement: Buffer): Promise<void> {
  await conn.writeCommand(Buffer.concat([Buffer.from([COM.COM_QUERY]), statement]));
  const reply = await conn.readPacket();
  assert.equal(reply[0], 0x00, `not OK: ${reply.subarray(9).toString('latin1')}`);
}

/** A statement's bytes: text parts in `encoding`, number arrays as the bytes they are. */
function bytesOf(parts: (string | number[])[], encoding: 'latin1' | 'utf8'): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, encoding) : Buffer.from(p))));
}

const GBK_ZHONGWEN = [0xd6, 0xd0, 0xce, 0xc4]; // 中文 in GBK

for (const name of testServerNames()) {
  describe(`statement text in the client's charset on ${name}`, () => {
    let server: LocalServer;
    let events: BinlogEvent[];
    const sent: Record<string, Buffer> = {};

    test('setup: statements sent as latin1, GBK and UTF-8 bytes', async () => {
      server = await startTestServer(name);
      const mysql = server.flavor === 'mysql';
      await server.sql(
        'CREATE DATABASE cs; CREATE TABLE cs.t (id INT PRIMARY KEY, v VARCHAR(40) CHARACTER SET utf8mb4, ' +
          'b VARBINARY(8))' +
          (mysql ? '; SET GLOBAL binlog_rows_query_log_events = ON' : ''),
      );
      const at = await logStatus(server);
      const conn = await rootConnection(server);
      try {
        await conn.query('SET NAMES latin1');
        sent.latin1Ddl = bytesOf(
          ["CREATE TABLE cs.l1 (id INT) COMMENT 'caf\xe9 \xf1 ", [0x80], "'"],
          'latin1',
        );
        sent.latin1Row = bytesOf(["INSERT INTO cs.t VALUES (1, 'na\xefve ", [0x80], "', NULL)"], 'latin1');
        await conn.query('SET NAMES gbk');
        sent.gbkDdl = bytesOf(["CREATE TABLE cs.g1 (id INT) COMMENT '", GBK_ZHONGWEN, "'"], 'latin1');
        sent.gbkRow = bytesOf(["INSERT INTO cs.t VALUES (2, '", GBK_ZHONGWEN, "', NULL)"], 'latin1');
        await conn.query('SET NAMES utf8mb4');
        sent.binaryRow = bytesOf(
          ['INSERT INTO cs.t VALUES (3, NULL, _binary', "'", [0x80, 0xff, 0xfe], "')"],
          'utf8',
        );
        sent.binaryQuery = bytesOf(
          ['INSERT INTO cs.t VALUES (4, NULL, _binary', "'", [0xc3, 0x28], "')"],
          'utf8',
        );
        await conn.query('SET NAMES latin1');
        await sendBytes(conn, sent.latin1Ddl);
        await sendBytes(conn, sent.latin1Row);
        await conn.query('SET NAMES gbk');
        await sendBytes(conn, sent.gbkDdl);
        await sendBytes(conn, sent.gbkRow);
        await conn.query('SET NAMES utf8mb4');
        await sendBytes(conn, sent.binaryRow);
        // logged as a statement: a QUERY event whose text is not UTF-8
        await conn.query("SET SESSION binlog_format = 'STATEMENT'");
        await sendBytes(conn, sent.binaryQuery);
      } finally {
        await conn.close();
      }
      events = [];
      for await (const ev of readBinlogFile(server.binlogPath(at.file), { start: at.pos })) events.push(ev);
    });

    /** The QUERY events' and the row annotations' text and bytes, in order. */
    const statements = (): { type: string; query: string; bytes: Buffer | undefined }[] =>
      events.flatMap((e) =>
        e.type === 'query' || e.type === 'rows_query' || e.type === 'mariadb_annotate_rows'
          ? [{ type: e.type, query: e.query, bytes: e.queryBytes }]
          : [],
      );
    const find = (pattern: RegExp) => {
      const s = statements().find((x) => pattern.test(x.query));
      assert.ok(
        s,
        `${pattern} among ${statements()
          .map((x) => x.query)
          .join(' | ')}`,
      );
      return s;
    };

    test('QUERY events: the DDL text in its client charset, as the server read it', async () => {
      const comments = (
        await server.sql(
          "SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'cs' AND TABLE_NAME IN ('l1', 'g1') ORDER BY TABLE_NAME",
        )
      )
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      assert.deepEqual(
        comments.map(([, c]) => c),
        ['中文', 'café ñ €'],
      );
      for (const [table, comment] of comments) {
        const q = find(new RegExp(`CREATE TABLE cs\\.${table}`));
        assert.equal(q.query, `CREATE TABLE cs.${table} (id INT) COMMENT '${comment}'`);
        assert.equal(q.bytes, undefined, 'the text holds the bytes');
      }
    });

    test('row annotations: in the transaction’s charset on MySQL; latin1 guessed, with the bytes, on MariaDB', async () => {
      const values = (await server.sql('SELECT id, v FROM cs.t WHERE id IN (1, 2) ORDER BY id'))
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[1]);
      assert.deepEqual(values, ['naïve €', '中文']);
      const latin1 = find(/VALUES \(1,/);
      assert.equal(latin1.query, `INSERT INTO cs.t VALUES (1, '${values[0]}', NULL)`);
      const gbk = statements().find((x) => x.type !== 'query' && x.query.includes('VALUES (2,'))!;
      if (server.flavor === 'mysql') {
        assert.equal(latin1.type, 'rows_query');
        assert.equal(latin1.bytes, undefined);
        assert.equal(gbk.query, `INSERT INTO cs.t VALUES (2, '${values[1]}', NULL)`);
        assert.equal(gbk.bytes, undefined);
      } else {
        assert.equal(latin1.type, 'mariadb_annotate_rows');
        assert.deepEqual(latin1.bytes, sent.latin1Row);
        assert.deepEqual(gbk.bytes, sent.gbkRow, 'no charset to read GBK with: the bytes');
      }
    });

    test('bytes that are not text in the statement’s charset: U+FFFD in the text, the exact bytes beside it', async () => {
      const row = statements().find((x) => x.type !== 'query' && x.query.includes('VALUES (3,'))!;
      assert.deepEqual(row.bytes, sent.binaryRow);
      const stmt = find(/VALUES \(4,/);
      assert.equal(stmt.type, 'query');
      assert.deepEqual(stmt.bytes, sent.binaryQuery);
      assert.ok(stmt.query.includes('\uFFFD'), stmt.query);
      // what the server stored from those bytes
      assert.equal((await server.sql('SELECT HEX(b) FROM cs.t WHERE id = 4')).trim(), 'C328');
    });
  });
}
