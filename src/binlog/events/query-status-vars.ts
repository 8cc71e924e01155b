// QUERY_EVENT status variables: mysql-server libs/mysql/binlog/event/statement_events.cpp
// (Query_event constructor), 9.x; MariaDB sql/log_event.cc (Query_log_event), 11.8. Each variable is a
// one-byte code followed by a code-specific value. The first unknown code stops the parsing, as the
// servers do ("status vars are written in growing order of code"; MariaDB 11.5+ writes 131 first).
//   0 FLAGS2 u32 | 1 SQL_MODE u64 | 2 CATALOG len u8 + str + NUL | 3 AUTO_INCREMENT u16 u16
//   4 CHARSET u16 client, u16 connection, u16 server | 5 TIME_ZONE len u8 + str | 6 CATALOG_NZ len u8 + str
//   7 LC_TIME_NAMES u16 | 8 CHARSET_DATABASE u16 | 9 TABLE_MAP_FOR_UPDATE u64 | 10 MASTER_DATA_WRITTEN u32
//   11 INVOKER user len u8 + str, host len u8 + str | 12 UPDATED_DB_NAMES n u8 (254 = too many) + n NUL-strs
//   13 MICROSECONDS u24 | 14 COMMIT_TS u64 (never written) | 16 EXPLICIT_DEFAULTS_FOR_TIMESTAMP u8
//   17 DDL_LOGGED_WITH_XID u64 | 18 DEFAULT_COLLATION_FOR_UTF8MB4 u16 | 19 SQL_REQUIRE_PRIMARY_KEY u8
//   20 DEFAULT_TABLE_ENCRYPTION u8 | 21 ENABLE_CASCADE_TRIGGERS u8
//   MariaDB: 128 HRNOW u24 | 129 XID u64 | 130 GTID_FLAGS3 u8 (+ u64 sa_seq_no if COMMIT/ROLLBACK_ALTER)
//            131 CHARACTER_SET_COLLATIONS count u8 + count × (u16 charset, u16 collation)
import type { Cursor } from '../cursor.js';
import type { QueryStatusVars } from '../types.js';

const OVER_MAX_DBS_IN_EVENT_MTS = 254;
const FL_COMMIT_ALTER = 0x04;
const FL_ROLLBACK_ALTER = 0x08;

type VarReader = (c: Cursor, v: QueryStatusVars) => void;

function lenStr(c: Cursor): string {
  c.need(1);
  return c.utf8(c.u8());
}

const READERS: (VarReader | undefined)[] = new Array<VarReader | undefined>(256);
READERS[0] = (c, v) => {
  c.need(4);
  v.flags2 = c.u32();
};
READERS[1] = (c, v) => {
  c.need(8);
  v.sqlMode = c.u64();
};
READERS[2] = (c, v) => {
  v.catalog = lenStr(c);
  c.skip(1);
};
READERS[3] = (c, v) => {
  c.need(4);
  v.autoIncrementIncrement = c.u16();
  v.autoIncrementOffset = c.u16();
};
READERS[4] = (c, v) => {
  c.need(6);
  v.charsetClient = c.u16();
  v.collationConnection = c.u16();
  v.collationServer = c.u16();
};
READERS[5] = (c, v) => {
  v.timeZone = lenStr(c);
};
READERS[6] = (c, v) => {
  v.catalog = lenStr(c);
};
READERS[7] = (c, v) => {
  c.need(2);
  v.lcTimeNames = c.u16();
};
READERS[8] = (c, v) => {
  c.need(2);
  v.charsetDatabase = c.u16();
};
READERS[9] = (c, v) => {
  c.need(8);
  v.tableMapForUpdate = c.u64();
};
READERS[10] = (c, v) => {
  c.need(4);
  v.masterDataWritten = c.u32();
};
READERS[11] = (c, v) => {
  v.invokerUser = lenStr(c);
  v.invokerHost = lenStr(c);
};
READERS[12] = (c, v) => {
  c.need(1);
  const n = c.u8();
  if (n > OVER_MAX_DBS_IN_EVENT_MTS - 1) {
    v.updatedDbNames = null;
    return;
  }
  const names: string[] = [];
  for (let i = 0; i < n && c.remaining > 0; i++) names.push(c.cstring());
  v.updatedDbNames = names;
};
READERS[13] = (c, v) => {
  c.need(3);
  v.microseconds = c.u24();
};
READERS[14] = (c, v) => {
  c.need(8);
  v.commitTs = c.u64();
};
READERS[16] = (c, v) => {
  c.need(1);
  v.explicitDefaultsTs = c.u8() !== 0;
};
READERS[17] = (c, v) => {
  c.need(8);
  v.ddlXid = c.u64();
};
READERS[18] = (c, v) => {
  c.need(2);
  v.defaultCollationForUtf8mb4 = c.u16();
};
READERS[19] = (c, v) => {
  c.need(1);
  v.sqlRequirePrimaryKey = c.u8();
};
READERS[20] = (c, v) => {
  c.need(1);
  v.defaultTableEncryption = c.u8();
};
READERS[21] = (c, v) => {
  c.need(1);
  v.enableCascadeTriggers = c.u8();
};
READERS[128] = (c, v) => {
  c.need(3);
  v.hrnow = c.u24();
};
READERS[129] = (c, v) => {
  c.need(8);
  v.xid = c.u64();
};
READERS[130] = (c, v) => {
  c.need(1);
  v.gtidFlags3 = c.u8();
  if (v.gtidFlags3 & (FL_COMMIT_ALTER | FL_ROLLBACK_ALTER)) {
    c.need(8);
    v.saSeqNo = c.u64();
  }
};
READERS[131] = (c, v) => {
  c.need(1);
  const n = c.u8();
  c.need(n * 4);
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) pairs.push([c.u16(), c.u16()]);
  v.characterSetCollations = pairs;
};

/** Decodes the status-variable block (the cursor covers exactly status_vars_len bytes). */
export function decodeStatusVars(c: Cursor, mariadb: boolean): QueryStatusVars {
  const v: QueryStatusVars = {};
  while (c.remaining > 0) {
    const code = c.buf[c.pos++];
    const r = code >= 128 && !mariadb ? undefined : READERS[code];
    if (r === undefined) {
      v.unknownCode = code;
      c.pos = c.end;
      break;
    }
    r(c, v);
  }
  return v;
}
