// GTIDs of both flavors: MySQL GTID sets (with 8.3+ tags) and MariaDB GTIDs, positions and lists.
export {
  MysqlGtidSet,
  parseMysqlGtidSet,
  readMysqlGtidSet,
  decodeMysqlGtidSet,
  encodeMysqlGtidSet,
  type MysqlGtidSetFormat,
} from './mysql-gtid-set.js';
export {
  MYSQL_GNO_MAX,
  parseMysqlGtid,
  formatMysqlGtid,
  type MysqlGtid,
  type MysqlGtidInput,
  type MysqlGtidInterval,
  type MysqlGtidIntervalInput,
} from './mysql-gtid.js';
export {
  MYSQL_TAG_MAX_LENGTH,
  normalizeUuid,
  normalizeTag,
  uuidToString,
  uuidToBytes,
} from './mysql-uuid.js';
export {
  MariadbGtidPosition,
  MariadbGtidList,
  MARIADB_ID_MAX,
  MARIADB_SEQ_NO_MAX,
  parseMariadbGtid,
  formatMariadbGtid,
  parseMariadbGtidList,
  compareMariadbGtids,
  type MariadbGtid,
} from './mariadb-gtid.js';
