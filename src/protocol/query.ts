// COM_QUERY with a text result set, and COM_PING.
// Sources: page_protocol_com_query.html, page_protocol_com_query_response_text_resultset.html,
// page_protocol_com_query_response_text_resultset_column_definition.html (8.4).
//   request   0x03, query text (UTF-8, rest of the payload; no query attributes: not negotiated)
//   response  OK | ERR | LOCAL INFILE (0xfb, never: CLIENT_LOCAL_FILES is not asked for) |
//             column_count int<lenenc>, column_count × ColumnDefinition41, [EOF unless DEPRECATE_EOF],
//             rows…, then EOF (or OK with a 0xfe header under DEPRECATE_EOF) | ERR
//   row       per column: string<lenenc>, or 0xfb for NULL
import { ErrorCode, ProtocolError } from '../errors.js';
import { CLIENT, COM, PACKET, SERVER_STATUS, hasFlag } from './capabilities.js';
import type { Connection } from './connection.js';
import { decodePayload } from './decode.js';
import { decodeEofPacket, decodeOkPacket, isEndOfRows, type OkPacket } from './ok-packet.js';
import { decodeErrPacket } from './server-error.js';

// ColumnDefinition41:
//   catalog, schema, table, org_table, name, org_name   string<lenenc> each ("def" catalog)
//   fixed_length     int<lenenc>  0x0c
//   character_set    u16 LE   collation id (63 = binary)
//   column_length    u32 LE
//   type             u8       MYSQL_TYPE_*
//   flags            u16 LE
//   decimals         u8
//   filler           2 bytes
/** A column of a text result set, as the server describes it. */
export interface ColumnDefinition {
  readonly schema: string;
  readonly table: string;
  readonly orgTable: string;
  readonly name: string;
  readonly orgName: string;
  readonly characterSet: number;
  readonly columnLength: number;
  readonly type: number;
  readonly flags: number;
  readonly decimals: number;
}

export function decodeColumnDefinition(payload: Buffer): ColumnDefinition {
  return decodePayload('column definition', payload, (cur) => {
    cur.skip(cur.lenenc()); // catalog
    const schema = cur.utf8(cur.lenenc());
    const table = cur.utf8(cur.lenenc());
    const orgTable = cur.utf8(cur.lenenc());
    const name = cur.utf8(cur.lenenc());
    const orgName = cur.utf8(cur.lenenc());
    cur.lenenc();
    cur.need(10);
    const characterSet = cur.u16();
    const columnLength = cur.u32();
    const type = cur.u8();
    const flags = cur.u16();
    const decimals = cur.u8();
    return { schema, table, orgTable, name, orgName, characterSet, columnLength, type, flags, decimals };
  });
}

/** One text row: each value as a UTF-8 string, or null. */
export function decodeTextRow(payload: Buffer, columnCount: number): (string | null)[] {
  return decodePayload('row', payload, (cur) => {
    const row = new Array<string | null>(columnCount);
    for (let i = 0; i < columnCount; i++) {
      const n = cur.lenencOrNull();
      row[i] = n === null ? null : cur.utf8(n);
    }
    if (cur.remaining !== 0) {
      throw new ProtocolError(
        ErrorCode.ERR_PROTOCOL,
        `row has ${cur.remaining} byte(s) after ${columnCount} values`,
      );
    }
    return row;
  });
}

/** The result of {@link Connection.query}: rows as text, or the OK of a statement without rows. */
export interface QueryResult {
  /** 'ok' for statements without a result set (columns and rows are empty). */
  readonly kind: 'ok' | 'rows';
  readonly columns: readonly ColumnDefinition[];
  /**
   * Values as the server's text protocol sends them, decoded as UTF-8 (the connection's character set
   * is utf8mb4; binary columns, characterSet 63, are not round-trippable this way).
   */
  readonly rows: (string | null)[][];
  readonly affectedRows: bigint;
  readonly lastInsertId: bigint;
  readonly status: number;
  readonly warnings: number;
  readonly info: string;
}

export function encodeComQuery(sql: string): Buffer {
  const n = Buffer.byteLength(sql, 'utf8');
  const payload = Buffer.allocUnsafe(1 + n);
  payload[0] = COM.COM_QUERY;
  payload.write(sql, 1, n, 'utf8');
  return payload;
}

function noMoreResults(status: number): void {
  // Not negotiated (no CLIENT_MULTI_RESULTS), so a server that sends more broke the protocol.
  if (hasFlag(status, SERVER_STATUS.SERVER_MORE_RESULTS_EXISTS)) {
    throw new ProtocolError(
      ErrorCode.ERR_PROTOCOL,
      'the server announced more result sets, which were not asked for',
    );
  }
}

/**
 * What an error says the query was: its first words only (`SHOW BINARY LOGS`, `SELECT BINLOG_GTID_POS`),
 * at most four, up to the first character that is not a letter, digit, `_` or space, so that no literal
 * of the statement (a password in a CREATE USER) gets into a message.
 */
export function queryLabel(sql: string): string {
  const lead = /^[\s(]*([A-Za-z][A-Za-z0-9_ ]*)/.exec(sql)?.[1] ?? '';
  const label = lead.trim().split(/\s+/).slice(0, 4).join(' ').slice(0, 48);
  return label ? `query (${label})` : 'query';
}

/** Runs COM_QUERY on `conn` (the caller holds the command lock). */
export async function runQuery(conn: Connection, sql: string): Promise<QueryResult> {
  await conn.writeCommand(encodeComQuery(sql));
  const first = await conn.readPacket();
  switch (first[0]) {
    case PACKET.OK: {
      const ok = decodeOkPacket(first);
      noMoreResults(ok.status);
      return { kind: 'ok', columns: [], rows: [], ...ok };
    }
    case PACKET.ERR:
      throw decodeErrPacket(first, queryLabel(sql));
    case PACKET.LOCAL_INFILE:
      throw new ProtocolError(
        ErrorCode.ERR_PROTOCOL,
        'the server asked for LOCAL INFILE data, which was not enabled',
      );
  }
  const columnCount = decodePayload('column count', first, (cur) => cur.lenenc());
  if (columnCount === 0) throw new ProtocolError(ErrorCode.ERR_PROTOCOL, 'result set with 0 columns');
  const deprecateEof = hasFlag(conn.server.capabilities, CLIENT.CLIENT_DEPRECATE_EOF);
  const columns: ColumnDefinition[] = [];
  for (let i = 0; i < columnCount; i++) columns.push(decodeColumnDefinition(await conn.readPacket()));
  if (!deprecateEof) {
    const eof = await conn.readPacket();
    if (!isEndOfRows(eof, false)) {
      throw new ProtocolError(ErrorCode.ERR_PROTOCOL, 'expected an EOF packet after the column definitions');
    }
  }
  const rows: (string | null)[][] = [];
  for (;;) {
    const p = await conn.readPacket();
    if (p.length > 0 && p[0] === PACKET.ERR) throw decodeErrPacket(p, queryLabel(sql));
    if (isEndOfRows(p, deprecateEof)) {
      const end: OkPacket = deprecateEof
        ? decodeOkPacket(p)
        : { ...decodeEofPacket(p), affectedRows: 0n, lastInsertId: 0n, info: '' };
      noMoreResults(end.status);
      return {
        kind: 'rows',
        columns,
        rows,
        affectedRows: end.affectedRows,
        lastInsertId: end.lastInsertId,
        status: end.status,
        warnings: end.warnings,
        info: end.info,
      };
    }
    rows.push(decodeTextRow(p, columnCount));
  }
}

/** COM_PING → OK. */
export async function ping(conn: Connection): Promise<OkPacket> {
  await conn.writeCommand(Buffer.from([COM.COM_PING]));
  const p = await conn.readPacket();
  if (p[0] === PACKET.ERR) throw decodeErrPacket(p, 'ping');
  if (p[0] !== PACKET.OK)
    throw new ProtocolError(ErrorCode.ERR_PROTOCOL, `unexpected reply to COM_PING (0x${p[0]?.toString(16)})`);
  return decodeOkPacket(p);
}
