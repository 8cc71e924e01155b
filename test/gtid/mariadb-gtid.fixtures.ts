// Captured from MariaDB 11.8.9-MariaDB-0+deb13u1 from Debian-log by test/gtid/capture-fixtures.ts; do not edit by hand.

/** [input, SET GLOBAL gtid_slave_pos = input; SELECT @@gtid_slave_pos, or null when rejected] */
export const MARIADB_POSITION_CASES: [string, string | null][] = [
  ['', ''],
  [' ', null], // ERROR 1941: Could not parse GTID list
  ['0-1-1', '0-1-1'],
  ['3-1-1,1-2-2', '1-2-2,3-1-1'],
  [' 1-2-3', '1-2-3'],
  ['1-2-3 ', null], // ERROR 1941: Could not parse GTID list
  ['1-2-3, 2-3-4', '1-2-3,2-3-4'],
  ['1-2-3 ,2-3-4', null], // ERROR 1941: Could not parse GTID list
  ['1-2-3,,2-3-4', null], // ERROR 1941: Could not parse GTID list
  ['1-2-3,', null], // ERROR 1941: Could not parse GTID list
  [',1-2-3', null], // ERROR 1941: Could not parse GTID list
  ['1-2-3,1-4-5', null], // ERROR 1943: GTID 1-4-5 and 1-2-3 conflict (duplicate domain id 1)
  ['01-02-03', '1-2-3'],
  ['+1-2-3', '1-2-3'],
  ['1-2-3-4', null], // ERROR 1941: Could not parse GTID list
  ['1--2-3', null], // ERROR 1941: Could not parse GTID list
  ['1-2', null], // ERROR 1941: Could not parse GTID list
  ['1-1--5', null], // ERROR 1941: Could not parse GTID list
  ['-1-1-1', null], // ERROR 1941: Could not parse GTID list
  ['1-1- 5', '1-1-5'],
  ['1- 2-3', '1-2-3'],
  ['1 -2-3', null], // ERROR 1941: Could not parse GTID list
  ['\n1-2-3', '1-2-3'],
  ['1-2-3,\r\n\t4-5-6', '1-2-3,4-5-6'],
  ['1-2-3\n', null], // ERROR 1941: Could not parse GTID list
  ['4294967295-4294967295-18446744073709551615', '4294967295-4294967295-18446744073709551615'],
  ['4294967296-1-1', null], // ERROR 1941: Could not parse GTID list
  ['1-4294967296-1', null], // ERROR 1941: Could not parse GTID list
  ['1-1-18446744073709551616', null], // ERROR 1941: Could not parse GTID list
  ['1-1-00000000000000000000000000001', '1-1-1'],
  ['1-1-0', '1-1-0'],
  ['0-0-0', '0-0-0'],
  ['a-1-1', null], // ERROR 1941: Could not parse GTID list
  ['1-1-1a', null], // ERROR 1941: Could not parse GTID list
  ['10-1-5,2-1-7,4294967295-3-3,0-9-1', '0-9-1,2-1-7,10-1-5,4294967295-3-3'],
];

/**
 * CREATE DATABASE t; CREATE TABLE t.a (id INT PRIMARY KEY AUTO_INCREMENT, v INT), then each step's sql followed by
 * SELECT @@last_gtid, @@gtid_binlog_pos, @@gtid_binlog_state; SHOW MASTER STATUS.
 * binlogGtidPos: SELECT BINLOG_GTID_POS(file, pos) before the steps and after each step.
 * Then FLUSH BINARY LOGS: gtidListEvent is the "Gtid list [...]" mariadb-binlog -vv prints for the new
 * file and afterFlush its BINLOG_GTID_POS(file, 4).
 */
export const MARIADB_SCENARIO = {
  initialState: '0-1-3',
  steps: [
    {
      sql: 'SET gtid_domain_id=5; SET server_id=7; INSERT INTO t.a (v) VALUES (1)',
      lastGtid: '5-7-1',
      binlogPos: '0-1-3,5-7-1',
      binlogState: '0-1-3,5-7-1',
      file: 'mariadb-bin.000001',
      pos: 836,
    },
    {
      sql: 'SET gtid_domain_id=2; SET server_id=9; INSERT INTO t.a (v) VALUES (1)',
      lastGtid: '2-9-8',
      binlogPos: '0-1-3,2-9-8,5-7-1',
      binlogState: '0-1-3,2-9-8,5-7-1',
      file: 'mariadb-bin.000001',
      pos: 1046,
    },
    {
      sql: 'SET gtid_domain_id=10; SET server_id=3; INSERT INTO t.a (v) VALUES (1)',
      lastGtid: '10-3-6',
      binlogPos: '0-1-3,2-9-8,5-7-1,10-3-6',
      binlogState: '0-1-3,2-9-8,5-7-1,10-3-6',
      file: 'mariadb-bin.000001',
      pos: 1256,
    },
    {
      sql: 'SET gtid_domain_id=2; SET server_id=4; INSERT INTO t.a (v) VALUES (1)',
      lastGtid: '2-4-9',
      binlogPos: '0-1-3,2-4-9,5-7-1,10-3-6',
      binlogState: '0-1-3,2-9-8,2-4-9,5-7-1,10-3-6',
      file: 'mariadb-bin.000001',
      pos: 1466,
    },
    {
      sql: 'SET gtid_domain_id=5; SET server_id=7; SET gtid_seq_no=1000; INSERT INTO t.a (v) VALUES (1)',
      lastGtid: '5-7-1000',
      binlogPos: '0-1-3,2-4-9,5-7-1000,10-3-6',
      binlogState: '0-1-3,2-9-8,2-4-9,5-7-1000,10-3-6',
      file: 'mariadb-bin.000001',
      pos: 1676,
    },
    {
      sql: 'SET gtid_domain_id=2; SET server_id=9; INSERT INTO t.a (v) VALUES (1)',
      lastGtid: '2-9-10',
      binlogPos: '0-1-3,2-9-10,5-7-1000,10-3-6',
      binlogState: '0-1-3,2-4-9,2-9-10,5-7-1000,10-3-6',
      file: 'mariadb-bin.000001',
      pos: 1886,
    },
    {
      sql: 'SET gtid_domain_id=0; SET server_id=1; INSERT INTO t.a (v) VALUES (1)',
      lastGtid: '0-1-4',
      binlogPos: '0-1-4,2-9-10,5-7-1000,10-3-6',
      binlogState: '0-1-4,2-4-9,2-9-10,5-7-1000,10-3-6',
      file: 'mariadb-bin.000001',
      pos: 2096,
    },
    {
      sql: 'SET gtid_domain_id=4294967295; SET server_id=4294967295; SET gtid_seq_no=18446744073709551615; INSERT INTO t.a (v) VALUES (1)',
      lastGtid: '4294967295-4294967295-18446744073709551615',
      binlogPos: '0-1-4,2-9-10,5-7-1000,10-3-6,4294967295-4294967295-18446744073709551615',
      binlogState: '0-1-4,2-4-9,2-9-10,5-7-1000,10-3-6,4294967295-4294967295-18446744073709551615',
      file: 'mariadb-bin.000001',
      pos: 2306,
    },
  ],
  binlogGtidPos: [
    ['mariadb-bin.000001', 626, '0-1-3'],
    ['mariadb-bin.000001', 836, '5-7-1,0-1-3'],
    ['mariadb-bin.000001', 1046, '5-7-1,2-9-8,0-1-3'],
    ['mariadb-bin.000001', 1256, '5-7-1,0-1-3,2-9-8,10-3-6'],
    ['mariadb-bin.000001', 1466, '5-7-1,0-1-3,2-4-9,10-3-6'],
    ['mariadb-bin.000001', 1676, '5-7-1000,0-1-3,2-4-9,10-3-6'],
    ['mariadb-bin.000001', 1886, '5-7-1000,0-1-3,2-9-10,10-3-6'],
    ['mariadb-bin.000001', 2096, '5-7-1000,0-1-4,2-9-10,10-3-6'],
    ['mariadb-bin.000001', 2306, '5-7-1000,0-1-4,2-9-10,4294967295-4294967295-18446744073709551615,10-3-6'],
  ] as [string, number, string][],
  gtidListEvent: '0-1-4,2-4-9,2-9-10,5-7-1000,10-3-6,4294967295-4294967295-18446744073709551615',
  afterFlush: '5-7-1000,0-1-4,4294967295-4294967295-18446744073709551615,2-9-10,10-3-6',
};
