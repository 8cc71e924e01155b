// Captured from MySQL 9.7.4-2 by test/gtid/capture-fixtures.ts; do not edit by hand.

/** [input, SELECT GTID_SUBTRACT(input, '') or null when the server rejects the input] */
export const MYSQL_TEXT_CASES: [string, string | null][] = [
  ['', ''],
  ['   ', ''],
  [',', ''],
  [',,,', ''],
  ['\r,, ,\t', ''],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562', ''],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:', null], // ERROR 1772: Malformed GTID set specification 'Expected number after 37 characters, marked by [HERE] in: \"...0aa9429562:[HERE]\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1'],
  ['3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7'],
  [
    '3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7:3:6, 3E11FA47-71CA-11E1-9E33-C80AA9429561:Tag1:1-3:tag0:4, 3E11FA47-71CA-11E1-9E33-C80AA9429561:2',
    '3e11fa47-71ca-11e1-9e33-c80aa9429561:2:tag0:4:tag1:1-3,\n3e11fa47-71ca-11e1-9e33-c80aa9429562:1-7',
  ],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:0', null], // ERROR 1772: Malformed GTID set specification 'Interval start out of range after 37 characters, marked by [HERE] in: \"...0aa9429562:[HERE]0\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:-1', null], // ERROR 1772: Malformed GTID set specification 'Expected number after 37 characters, marked by [HERE] in: \"...0aa9429562:[HERE]-1\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:+5', null], // ERROR 1772: Malformed GTID set specification 'Expected number after 37 characters, marked by [HERE] in: \"...0aa9429562:[HERE]+5\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:0x10', null], // ERROR 1772: Malformed GTID set specification 'Interval start out of range after 37 characters, marked by [HERE] in: \"...0aa9429562:[HERE]0x10\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:010', '3e11fa47-71ca-11e1-9e33-c80aa9429562:10'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562: 5', '3e11fa47-71ca-11e1-9e33-c80aa9429562:5'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562 :5', '3e11fa47-71ca-11e1-9e33-c80aa9429562:5'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:5 ', '3e11fa47-71ca-11e1-9e33-c80aa9429562:5'],
  [' 3e11fa47-71ca-11e1-9e33-c80aa9429562:5', '3e11fa47-71ca-11e1-9e33-c80aa9429562:5'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:5-3', ''],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:5-0', ''],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:5-5', '3e11fa47-71ca-11e1-9e33-c80aa9429562:5'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:5-', null], // ERROR 1772: Malformed GTID set specification 'Expected number after 39 characters, marked by [HERE] in: \"...a9429562:5-[HERE]\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:5-x', null], // ERROR 1772: Malformed GTID set specification 'Expected number after 39 characters, marked by [HERE] in: \"...a9429562:5-[HERE]x\"'.
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775806',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775806',
  ],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775806',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775806',
  ],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775807', null], // ERROR 1772: Malformed GTID set specification 'Interval start out of range after 37 characters, marked by [HERE] in: \"...0aa9429562:[HERE]9223372036854775807\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775807', null], // ERROR 1772: Malformed GTID set specification 'Interval end out of range after 58 characters, marked by [HERE] in: \"...36854775807[HERE]\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:99999999999999999999', null], // ERROR 1772: Malformed GTID set specification 'Number out of range after 37 characters, marked by [HERE] in: \"...0aa9429562:[HERE]99999999999999999999\"'.
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:00000000000000000000000000042',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:42',
  ],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1,3e11fa47-71ca-11e1-9e33-c80aa9429562:2',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2',
  ],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1,,3e11fa47-71ca-11e1-9e33-c80aa9429562:3',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1:3',
  ],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1, ,3e11fa47-71ca-11e1-9e33-c80aa9429562:3',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1:3',
  ],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1 ,3e11fa47-71ca-11e1-9e33-c80aa9429562:3',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1:3',
  ],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1,', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1'],
  [',3e11fa47-71ca-11e1-9e33-c80aa9429562:1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562::1', null], // ERROR 1772: Malformed GTID set specification 'Expected number after 37 characters, marked by [HERE] in: \"...0aa9429562:[HERE]:1\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562: :1', null], // ERROR 1772: Malformed GTID set specification 'Expected number after 38 characters, marked by [HERE] in: \"...aa9429562: [HERE]:1\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:tag', ''],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:', null], // ERROR 1772: Malformed GTID set specification 'Expected number after 41 characters, marked by [HERE] in: \"...429562:tag:[HERE]\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:1'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:TAG:1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:1'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:_t:1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:_t:1'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:t1:1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:t1:1'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1t:1', null], // ERROR 1772: Malformed GTID set specification 'Expected \",\" after 38 characters, marked by [HERE] in: \"...aa9429562:1[HERE]t:1\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:t-1:1', null], // ERROR 1772: Malformed GTID set specification 'Expected \",\" after 38 characters, marked by [HERE] in: \"...aa9429562:t[HERE]-1:1\"'.
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:abcdefghijklmnopqrstuvwxyz012345:1',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:abcdefghijklmnopqrstuvwxyz012345:1',
  ],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:abcdefghijklmnopqrstuvwxyz0123456:1', null], // ERROR 1772: Malformed GTID set specification 'Expected number after 37 characters, marked by [HERE] in: \"...0aa9429562:[HERE]abcdefghijklmnopqrstuvwxy...\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:tag :1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:1'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562: tag:1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:1'],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:1:tag2:2:3',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:1:tag2:2-3',
  ],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1:tag:2', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1:tag:2'],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:B:1:a:1:_:1:A1:2:_a:3:Z:4',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:_:1:_a:3:a:1:a1:2:b:1:z:4',
  ],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:a:1-2:999-1000:baz:foo:1-100:bar:1-2000',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:a:1-2:999-1000:bar:1-2000:foo:1-100',
  ],
  [' 3e11fa47-71ca-11e1-9e33-c80aa9429562 : 99 - 1 ', ''],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562 : 1 - 3 ', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:tag1:1-3:TAG1:5', '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag1:1-3:5'],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:5-7,3e11fa47-71ca-11e1-9e33-c80aa9429562:4',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-7',
  ],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:x:1,ffffffff-ffff-ffff-ffff-ffffffffffff:1,00000000-0000-0000-0000-000000000000:1',
    '00000000-0000-0000-0000-000000000000:1,\n3e11fa47-71ca-11e1-9e33-c80aa9429562:x:1,\nffffffff-ffff-ffff-ffff-ffffffffffff:1',
  ],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1 2', null], // ERROR 1772: Malformed GTID set specification 'Expected \",\" after 39 characters, marked by [HERE] in: \"...a9429562:1 [HERE]2\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2-3', null], // ERROR 1772: Malformed GTID set specification 'Expected \",\" after 40 characters, marked by [HERE] in: \"...9429562:1-2[HERE]-3\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1:2 :3', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562!', null], // ERROR 1772: Malformed GTID set specification 'Expected \",\" after 36 characters, marked by [HERE] in: \"...80aa9429562[HERE]!\"'.
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag,3e11fa47-71ca-11e1-9e33-c80aa9429562:1',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1',
  ],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1:', null], // ERROR 1772: Malformed GTID set specification 'Expected number after 39 characters, marked by [HERE] in: \"...a9429562:1:[HERE]\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1:2:3:4-6', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-6'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:2-5', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100:50-200:150-300', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-300'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:9:7:5:3:1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1:3:5:7:9'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:80-100:50-59:60-79', '3e11fa47-71ca-11e1-9e33-c80aa9429562:50-100'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:\t1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1'],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1,\n\t\r 3e11fa47-71ca-11e1-9e33-c80aa9429562:4',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1:4',
  ],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1\u000b,3e11fa47-71ca-11e1-9e33-c80aa9429562:4\f',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1:4',
  ],
  ['\f\f\nffffffff-ffff-ffff-ffff-ffffffffffff\t \t:\n1\r', 'ffffffff-ffff-ffff-ffff-ffffffffffff:1'],
  ['3E11FA4771CA11E19E33C80AA9429562:1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1'],
  ['{3e11fa47-71ca-11e1-9e33-c80aa9429562}:1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1'],
  ['3e11fa47-71ca-11e1-9e33-c80aa942956:1', null], // ERROR 1772: Malformed GTID set specification 'Expected hex digit after 35 characters, marked by [HERE] in: \"...c80aa942956[HERE]:1\"'.
  ['3e11fa47-71ca11e1-9e33-c80aa9429562:1', null], // ERROR 1772: Malformed GTID set specification 'Expected \"-\" after 13 characters, marked by [HERE] in: \"3e11fa47-71ca[HERE]11e1-9e33-c80aa9429562:1\"'.
  ['3e11fa4771ca-11e1-9e33-c80aa9429562:1', null], // ERROR 1772: Malformed GTID set specification 'Expected hex digit after 12 characters, marked by [HERE] in: \"3e11fa4771ca[HERE]-11e1-9e33-c80aa9429562:1\"'.
  ['{3e11fa4771ca11e19e33c80aa9429562}:1', null], // ERROR 1772: Malformed GTID set specification 'Expected \"-\" after 9 characters, marked by [HERE] in: \"{3e11fa47[HERE]71ca11e19e33c80aa9429562}:1\"'.
  ['{3e11fa47-71ca-11e1-9e33-c80aa9429562:1', null], // ERROR 1772: Malformed GTID set specification 'Expected \"}\" after 37 characters, marked by [HERE] in: \"...80aa9429562[HERE]:1\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562}:1', null], // ERROR 1772: Malformed GTID set specification 'Expected \",\" after 36 characters, marked by [HERE] in: \"...80aa9429562[HERE]}:1\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa94295621:1', null], // ERROR 1772: Malformed GTID set specification 'Expected \",\" after 36 characters, marked by [HERE] in: \"...80aa9429562[HERE]1:1\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562-:1', null], // ERROR 1772: Malformed GTID set specification 'Expected \",\" after 36 characters, marked by [HERE] in: \"...80aa9429562[HERE]-:1\"'.
  ['3e11fa4771ca11e19e33c80aa9429562 :1', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1'],
  ['{ 3e11fa47-71ca-11e1-9e33-c80aa9429562}:1', null], // ERROR 1772: Malformed GTID set specification 'Expected hex digit after 1 characters, marked by [HERE] in: \"{[HERE] 3e11fa47-71ca-11e1-9e33-...\"'.
  ['3e11fa47--71ca-11e1-9e33-c80aa9429562:1', null], // ERROR 1772: Malformed GTID set specification 'Expected hex digit after 9 characters, marked by [HERE] in: \"3e11fa47-[HERE]-71ca-11e1-9e33-c80aa9429...\"'.
  ['+3e11fa47-71ca-11e1-9e33-c80aa9429562:1', null], // ERROR 1772: Malformed GTID set specification 'Expected hex digit at the beginning of the string: \"+3e11fa47-71ca-11e1-9e33-...\"'.
  ['1-2', null], // ERROR 1772: Malformed GTID set specification 'Expected hex digit after 1 characters, marked by [HERE] in: \"1[HERE]-2\"'.
  ['tag:1', null], // ERROR 1772: Malformed GTID set specification 'Expected hex digit at the beginning of the string: \"tag:1\"'.
  [':1', null], // ERROR 1772: Malformed GTID set specification 'Expected hex digit at the beginning of the string: \":1\"'.
  ['.', null], // ERROR 1772: Malformed GTID set specification 'Expected at least two hex digits at the beginning of the string: \".\"'.
  [
    '00000000-0000-0000-0000-000000000000:1-2:9-100,\n00000000-0000-0000-0000-000000000001:1',
    '00000000-0000-0000-0000-000000000000:1-2:9-100,\n00000000-0000-0000-0000-000000000001:1',
  ],
  [
    '00000000-0000-0000-0000-000000000001:a:1-2:999-1000:baz:foo:1-100:bar:1-2000,\n3e11fa47-71ca-11e1-9e33-c80aa9429562:a:1-2:999-1000:foo:1-100:baz:bar:1-2000',
    '00000000-0000-0000-0000-000000000001:a:1-2:999-1000:bar:1-2000:foo:1-100,\n3e11fa47-71ca-11e1-9e33-c80aa9429562:a:1-2:999-1000:bar:1-2000:foo:1-100',
  ],
  [
    '00000000-0000-0000-0000-000000000001:1-2:999-1000:foo:20-100:bar:1-2000,\n3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2:999-1000:foo:1-100:baz:bar:1-2000,\n00000000-0000-0000-0000-000000000001:baz:foo:101-200:foo:1-25',
    '00000000-0000-0000-0000-000000000001:1-2:999-1000:bar:1-2000:foo:1-200,\n3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2:999-1000:bar:1-2000:foo:1-100',
  ],
  [
    '00000000-0000-0000-0000-000000000000:abcdefghijklmnopqrstuvwxyz012345:1:3:5:this_is_a_32_character_long_tag_:2:4:6,ffffffff-ffff-ffff-ffff-ffffffffffff:abcdefghijklmnopqrstuvwxyz012345:78-87',
    '00000000-0000-0000-0000-000000000000:abcdefghijklmnopqrstuvwxyz012345:1:3:5:this_is_a_32_character_long_tag_:2:4:6,\nffffffff-ffff-ffff-ffff-ffffffffffff:abcdefghijklmnopqrstuvwxyz012345:78-87',
  ],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5\u00a0', null], // ERROR 1772: Malformed GTID set specification 'Expected \",\" after 40 characters, marked by [HERE] in: \"...9429562:1-5[HERE]\\xc2\\xa0\"'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:\u0661', null], // ERROR 1772: Malformed GTID set specification 'Expected number after 37 characters, marked by [HERE] in: \"...0aa9429562:[HERE]\\xd9\\xa1\"'.
];

/**
 * subset: GTID_SUBSET(a, b); subtract: GTID_SUBTRACT(a, b); union: GTID_SUBTRACT(CONCAT(a, ',', b), '');
 * intersection: GTID_SUBTRACT(a, GTID_SUBTRACT(a, b)).
 */
export const MYSQL_OP_CASES: {
  a: string;
  b: string;
  subset: boolean;
  subtract: string;
  union: string;
  intersection: string;
}[] = [
  { a: '', b: '', subset: true, subtract: '', union: '', intersection: '' },
  {
    a: '',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1',
    subset: true,
    subtract: '',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1',
    intersection: '',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
    b: '',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
    intersection: '',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:3',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2:4-5',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:3',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:3',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
    subset: true,
    subtract: '',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:3',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:4-8',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:9',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:4-5:7-8',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:4-8',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:6',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:4-5:7-8',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:t:1-3',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:t:2',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:t:1:3',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:t:1-3',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:t:2',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:t:1-3',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:t:1-3',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:t:1-3',
    intersection: '',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:t:1-3',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:t:1-3',
    intersection: '',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10,ffffffff-ffff-ffff-ffff-ffffffffffff:x:5',
    b: 'ffffffff-ffff-ffff-ffff-ffffffffffff:x:5,3e11fa47-71ca-11e1-9e33-c80aa9429562:2-3:5',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1:4:6-10',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10,\nffffffff-ffff-ffff-ffff-ffffffffffff:x:5',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:2-3:5,\nffffffff-ffff-ffff-ffff-ffffffffffff:x:5',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775806',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775806',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775805',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775806',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775806',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775806',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:2-9223372036854775806',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775806',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:2-9223372036854775806',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775806',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775806',
    subset: true,
    subtract: '',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775806',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775806',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1:3:5:7:9',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:2:4:6:8',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1:3:5:7:9',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9',
    intersection: '',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:2:4:6:8',
    subset: false,
    subtract: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1:3:5:7:9',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:2:4:6:8',
  },
  {
    a: '00000000-0000-0000-0000-000000000000:a:1-5:b:1-5,00000000-0000-0000-0000-000000000001:1-5',
    b: '00000000-0000-0000-0000-000000000000:b:3,00000000-0000-0000-0000-000000000001:a:3',
    subset: false,
    subtract:
      '00000000-0000-0000-0000-000000000000:a:1-5:b:1-2:4-5,\n00000000-0000-0000-0000-000000000001:1-5',
    union: '00000000-0000-0000-0000-000000000000:a:1-5:b:1-5,\n00000000-0000-0000-0000-000000000001:1-5:a:3',
    intersection: '00000000-0000-0000-0000-000000000000:b:3',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100',
    subset: true,
    subtract: '',
    union: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100',
  },
  {
    a: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100,00000000-0000-0000-0000-000000000000:1',
    b: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100',
    subset: false,
    subtract: '00000000-0000-0000-0000-000000000000:1',
    union: '00000000-0000-0000-0000-000000000000:1,\n3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100',
    intersection: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100',
  },
];

/** [input, SET gtid_next = input; SELECT @@gtid_next, or null when the server rejects the input] */
export const MYSQL_GTID_NEXT_CASES: [string, string | null][] = [
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:5', '3e11fa47-71ca-11e1-9e33-c80aa9429562:5'],
  ['3E11FA47-71CA-11E1-9E33-C80AA9429562:TaG:5', '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:5'],
  ['3E11FA4771CA11E19E33C80AA9429562:5', null], // ERROR 1774: Malformed GTID specification '3E11FA4771CA11E19E33C80AA9429562:5'.
  ['{3e11fa47-71ca-11e1-9e33-c80aa9429562}:5', null], // ERROR 1774: Malformed GTID specification '{3e11fa47-71ca-11e1-9e33-c80aa9429562}:5'.
  [' 3e11fa47-71ca-11e1-9e33-c80aa9429562 : 5 ', '3e11fa47-71ca-11e1-9e33-c80aa9429562:5'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562: tag :5', '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:5'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:05', '3e11fa47-71ca-11e1-9e33-c80aa9429562:5'],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:+5', '3e11fa47-71ca-11e1-9e33-c80aa9429562:5'],
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775806',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775806',
  ],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775807', null], // ERROR 1774: Malformed GTID specification '3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775807'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:0', null], // ERROR 1774: Malformed GTID specification '3e11fa47-71ca-11e1-9e33-c80aa9429562:0'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2', null], // ERROR 1774: Malformed GTID specification '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:tag', null], // ERROR 1774: Malformed GTID specification '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:t-1:5', null], // ERROR 1774: Malformed GTID specification '3e11fa47-71ca-11e1-9e33-c80aa9429562:t-1:5'.
  [
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:abcdefghijklmnopqrstuvwxyz012345:1',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:abcdefghijklmnopqrstuvwxyz012345:1',
  ],
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:abcdefghijklmnopqrstuvwxyz0123456:1', null], // ERROR 1774: Malformed GTID specification '3e11fa47-71ca-11e1-9e33-c80aa9429562:abcdefghijklmnopqrstuvwxyz0123456:1'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562::5', null], // ERROR 1774: Malformed GTID specification '3e11fa47-71ca-11e1-9e33-c80aa9429562::5'.
  ['3e11fa47-71ca-11e1-9e33-c80aa9429562:5,', null], // ERROR 1774: Malformed GTID specification '3e11fa47-71ca-11e1-9e33-c80aa9429562:5,'.
];

/** PREVIOUS_GTIDS_LOG_EVENT bodies (hex, without the checksum) of binlogs written by the server. */
export const MYSQL_PREVIOUS_GTIDS = {
  untagged: {
    // CREATE DATABASE t; CREATE TABLE t.a (id INT PRIMARY KEY AUTO_INCREMENT, v INT); SET gtid_next='11111111-2222-3333-4444-555555555555:7'; INSERT INTO t.a (v) VALUES (1); SET gtid_next='11111111-2222-3333-4444-555555555555:9'; INSERT INTO t.a (v) VALUES (2); SET gtid_next='11111111-2222-3333-4444-555555555555:9223372036854775806'; INSERT INTO t.a (v) VALUES (3); SET gtid_next='AUTOMATIC'; FLUSH BINARY LOGS
    // then SELECT @@gtid_executed, and mysqlbinlog -vv binlog.000002 (its Previous-GTIDs comment)
    gtidExecuted:
      '11111111-2222-3333-4444-555555555555:7:9:9223372036854775806,\n99c17029-e879-11f1-a3bc-02fc00000001:1-2',
    mysqlbinlog:
      '11111111-2222-3333-4444-555555555555:7:9:9223372036854775806,\n99c17029-e879-11f1-a3bc-02fc00000001:1-2',
    body: [
      '0200000000000000', // header: 2 TSIDs, format 0
      '11111111222233334444555555555555', // uuid
      '0300000000000000', // 3 interval(s)
      '07000000000000000800000000000000', // [7, 8)
      '09000000000000000a00000000000000', // [9, 10)
      'feffffffffffff7fffffffffffffff7f', // [9223372036854775806, 9223372036854775807)
      '99c17029e87911f1a3bc02fc00000001', // uuid
      '0100000000000000', // 1 interval(s)
      '01000000000000000300000000000000', // [1, 3)
    ].join(''),
  },
  tagged: {
    // SET gtid_next='AUTOMATIC:mytag'; INSERT INTO t.a (v) VALUES (4); SET gtid_next='AUTOMATIC:Alpha_2'; INSERT INTO t.a (v) VALUES (5); INSERT INTO t.a (v) VALUES (6); SET gtid_next='11111111-2222-3333-4444-555555555555:zz:9223372036854775806'; INSERT INTO t.a (v) VALUES (7); SET gtid_next='AUTOMATIC'; FLUSH BINARY LOGS
    // then SELECT @@gtid_executed, and mysqlbinlog -vv binlog.000003 (its Previous-GTIDs comment)
    gtidExecuted:
      '11111111-2222-3333-4444-555555555555:7:9:9223372036854775806:zz:9223372036854775806,\n99c17029-e879-11f1-a3bc-02fc00000001:1-2:alpha_2:1-2:mytag:1',
    mysqlbinlog:
      '11111111-2222-3333-4444-555555555555:7:9:9223372036854775806:zz:9223372036854775806,\n99c17029-e879-11f1-a3bc-02fc00000001:1-2:alpha_2:1-2:mytag:1',
    body: [
      '0105000000000001', // header: format 1, 5 TSIDs, format 1
      '11111111222233334444555555555555', // uuid
      '00', // no tag
      '0300000000000000', // 3 interval(s)
      '07000000000000000800000000000000', // [7, 8)
      '09000000000000000a00000000000000', // [9, 10)
      'feffffffffffff7fffffffffffffff7f', // [9223372036854775806, 9223372036854775807)
      '11111111222233334444555555555555', // uuid
      '047a7a', // tag: length 2, 'zz'
      '0100000000000000', // 1 interval(s)
      'feffffffffffff7fffffffffffffff7f', // [9223372036854775806, 9223372036854775807)
      '99c17029e87911f1a3bc02fc00000001', // uuid
      '00', // no tag
      '0100000000000000', // 1 interval(s)
      '01000000000000000300000000000000', // [1, 3)
      '99c17029e87911f1a3bc02fc00000001', // uuid
      '0e616c7068615f32', // tag: length 7, 'alpha_2'
      '0100000000000000', // 1 interval(s)
      '01000000000000000300000000000000', // [1, 3)
      '99c17029e87911f1a3bc02fc00000001', // uuid
      '0a6d79746167', // tag: length 5, 'mytag'
      '0100000000000000', // 1 interval(s)
      '01000000000000000200000000000000', // [1, 2)
    ].join(''),
  },
  taggedFormatWithoutTags: {
    // RESET BINARY LOGS AND GTIDS; INSERT INTO t.a (v) VALUES (8); SET gtid_next='11111111-2222-3333-4444-555555555555:7'; INSERT INTO t.a (v) VALUES (9); SET gtid_next='AUTOMATIC'; FLUSH BINARY LOGS
    // then SELECT @@gtid_executed, and mysqlbinlog -vv binlog.000002 (its Previous-GTIDs comment)
    gtidExecuted: '11111111-2222-3333-4444-555555555555:7,\n99c17029-e879-11f1-a3bc-02fc00000001:1',
    mysqlbinlog: '11111111-2222-3333-4444-555555555555:7,\n99c17029-e879-11f1-a3bc-02fc00000001:1',
    body: [
      '0102000000000001', // header: format 1, 2 TSIDs, format 1
      '11111111222233334444555555555555', // uuid
      '00', // no tag
      '0100000000000000', // 1 interval(s)
      '07000000000000000800000000000000', // [7, 8)
      '99c17029e87911f1a3bc02fc00000001', // uuid
      '00', // no tag
      '0100000000000000', // 1 interval(s)
      '01000000000000000200000000000000', // [1, 2)
    ].join(''),
  },
};

/** [file under ../shared/fixtures/binlogs, the Previous-GTIDs comment of mysqlbinlog -vv file] */
export const SHARED_PREVIOUS_GTIDS: [string, string | null][] = [
  [
    'mysql-8-9/binlog_transaction_with_GTID_TAG.000001',
    '55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2',
  ],
  ['mysql-8-9/binlog_transaction_previous_GTID_no_tag.000001', 'b9b88c66-0755-11f1-9899-4a9da94c4d71:1-2'],
  ['mysql-5/gtid-5.7.40.000080', '58cf6502-63db-11ed-8079-0242ac110002:1-52'],
];
