// Packets captured from the real servers the harness starts (scratch capture through a raw socket and
// Connection.readPacket), with the values the servers reported for them. Hex is the payload without the
// 4-byte packet header unless the name says "frame".

// ---- server greetings (Protocol::HandshakeV10), whole frames ----

/** MySQL 9.7.4: SELECT VERSION() = '9.7.4-2', collation_server utf8mb4_0900_ai_ci (id 255), TLS on. */
export const MYSQL_97_GREETING_FRAME =
  '4b0000' + // payload_length 75
  '00' + // sequence_id 0
  '0a' + // protocol_version 10
  '392e372e342d3200' + // server_version "9.7.4-2"
  '0a000000' + // connection_id 10
  '7607251006624455' + // auth_data_1
  '00' + // filler
  'ffff' + // capabilities_lo (CLIENT_SSL 0x0800 set)
  'ff' + // character_set 255
  '0200' + // status_flags SERVER_STATUS_AUTOCOMMIT
  'ffdf' + // capabilities_hi
  '15' + // auth_data_len 21
  '00000000000000000000' + // reserved
  '122132527206217b4d430c4f00' + // auth_data_2 (12 bytes + NUL)
  '63616368696e675f736861325f70617373776f726400'; // "caching_sha2_password"

/** MariaDB 10.11.19: VERSION() = '10.11.19-MariaDB-0+deb12u1-log', collation_server latin1_swedish_ci (8), have_ssl DISABLED. */
export const MARIADB_1011_GREETING_FRAME =
  '680000' + // payload_length 104
  '00' + // sequence_id 0
  '0a' + // protocol_version 10
  '352e352e352d31302e31312e31392d4d6172696144422d302b646562313275312d6c6f6700' + // "5.5.5-10.11.19-MariaDB-0+deb12u1-log"
  '06000000' + // connection_id 6
  '4e716f5a54757051' + // auth_data_1
  '00' + // filler
  'fef7' + // capabilities_lo: CLIENT_MYSQL (bit 0) and CLIENT_SSL unset
  '08' + // character_set 8
  '0200' + // status_flags
  'ff81' + // capabilities_hi
  '15' + // auth_data_len 21
  '000000000000' + // reserved
  '1d000000' + // MariaDB extended capabilities
  '286f79332f334f77285f2a4e00' + // auth_data_2
  '6d7973716c5f6e61746976655f70617373776f726400'; // "mysql_native_password"

/** MariaDB 11.8.9: VERSION() = '11.8.9-MariaDB-0+deb13u1 from Debian-log' (no 5.5.5- prefix), TLS on by default. */
export const MARIADB_118_GREETING_FRAME =
  '6c0000' + // payload_length 108
  '00' + // sequence_id 0
  '0a' + // protocol_version 10
  '31312e382e392d4d6172696144422d302b646562313375312066726f6d2044656269616e2d6c6f6700' + // server_version
  '06000000' + // connection_id 6
  '31375e5673616b76' + // auth_data_1
  '00' + // filler
  'feff' + // capabilities_lo: CLIENT_SSL set, CLIENT_MYSQL unset
  '2d' + // character_set 45
  '0200' + // status_flags
  'ff81' + // capabilities_hi
  '15' + // auth_data_len 21
  '000000000000' + // reserved
  '3d000000' + // MariaDB extended capabilities
  '30297d5b32255f3423504a6200' + // auth_data_2
  '6d7973716c5f6e61746976655f70617373776f726400'; // "mysql_native_password"

// ---- SELECT 1 AS a, NULL AS b, 'x' AS c, 'é€' AS d (CLIENT_DEPRECATE_EOF), MySQL 9.7 ----
// The mysql CLI prints: 1  NULL  x  é€

export const MYSQL_97_SELECT = [
  '04', // column_count 4
  // catalog "def", schema "", table "", org_table "", name "a", org_name "", 0x0c, charset 63 (binary),
  // length 2, type 0x08 LONGLONG, flags 0x0081 (NOT_NULL|BINARY), decimals 0, filler
  '036465660000000161000c3f0002000000088100000000',
  // name "b": charset 63, length 0, type 0x06 NULL, flags 0x0080 (BINARY)
  '036465660000000162000c3f0000000000068000000000',
  // name "c": charset 45, length 4, type 0xfd VAR_STRING, flags 0x0001 (NOT_NULL), decimals 31
  '036465660000000163000c2d0004000000fd01001f0000',
  // name "d": charset 45, length 8
  '036465660000000164000c2d0008000000fd01001f0000',
  // row: "1", NULL (0xfb), "x", "é€" (5 UTF-8 bytes)
  '0131fb017805c3a9e282ac',
  // OK with 0xfe header: affected 0, insert id 0, status 0x0002, warnings 0
  'fe000002000000',
];

/** The same result from MariaDB 10.11 differs in the "a" column: length 1, type 0x03 LONG. */
export const MARIADB_1011_SELECT_COLUMN_A = '036465660000000161000c3f0001000000038100000000';

// ---- MariaDB 10.11 without CLIENT_DEPRECATE_EOF: SELECT 1 AS a, NULL AS b ----
export const MARIADB_1011_SELECT_WITH_EOF = [
  '02', // column_count 2
  '036465660000000161000c3f0001000000038100000000', // "a"
  '036465660000000162000c3f0000000000068000000000', // "b"
  'fe00000200', // EOF: warnings 0, status 0x0002
  '0131fb', // row: "1", NULL
  'fe00000200', // EOF
];

/** INSERT INTO d.t (v) VALUES (1), table AUTO_INCREMENT=9007199254740993 (2^53 + 1); all three servers. */
export const OK_INSERT =
  '00' + // header
  '01' + // affected_rows 1
  'fe0100000000002000' + // last_insert_id 9007199254740993 (8-byte lenenc)
  '0200' + // status SERVER_STATUS_AUTOCOMMIT
  '0000'; // warnings 0

/** UPDATE d.t SET v = 2 (1 row); all three servers. */
export const OK_UPDATE =
  '00' + // header
  '01' + // affected_rows 1
  '00' + // last_insert_id 0
  '2200' + // status AUTOCOMMIT | SERVER_QUERY_NO_INDEX_USED
  '0000' + // warnings
  '28526f7773206d6174636865643a203120204368616e6765643a203120205761726e696e67733a2030'; // info

/** SELEC 1 on MySQL 9.7. */
export const MYSQL_97_ERR_PARSE =
  'ff' + // header
  '2804' + // error_code 1064
  '23' + // '#'
  '3432303030' + // sql_state "42000"
  '596f75206861766520616e206572726f7220696e20796f75722053514c2073796e7461783b20636865636b20746865206d616e75616c207468617420636f72726573706f6e647320746f20796f7572204d7953514c207365727665722076657273696f6e20666f72207468652072696768742073796e74617820746f20757365206e656172202753454c4543203127206174206c696e652031';

// ---- hashes the MariaDB 10.11 server computed ----
/** SELECT PASSWORD('secret'): '*' + hex(SHA1(SHA1(password))). */
export const MARIADB_PASSWORD_SECRET = '*14E65567ABDB5135D0CFD9A70B3032C179A49EE7';
/** SELECT ed25519_password(x) (auth_ed25519 UDF) = the stored authentication_string: base64 of the public key, no '='. */
export const MARIADB_ED25519_PASSWORDS: ReadonlyArray<readonly [string, string]> = [
  ['secret', 'ZIgUREUg5PVgQ6LskhXmO+eZLS0nC8be6HPjYWR4YJY'],
  ['', '4LH+dBF+G5W2CKTyId8xR3SyDqZoQjUNUVNxx8aWbG4'],
  ['pässwörd-with-a-long-tail-0123456789', 'm+DvOt00rIEUxY8OSxgxpcyQxRquCGxU7ZshnzyLvww'],
];
