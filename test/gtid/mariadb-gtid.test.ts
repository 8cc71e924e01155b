// MariaDB GTIDs, positions and lists against what MariaDB 11.8 printed (fixtures captured by
// capture-fixtures.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, GtidError } from '../../src/errors.js';
import {
  compareMariadbGtids,
  formatMariadbGtid,
  MARIADB_SEQ_NO_MAX,
  MariadbGtidList,
  MariadbGtidPosition,
  parseMariadbGtid,
  parseMariadbGtidList,
  type MariadbGtid,
} from '../../src/gtid/index.js';
import { MARIADB_POSITION_CASES, MARIADB_SCENARIO } from './mariadb-gtid.fixtures.js';

function isGtidError(e: unknown): boolean {
  assert.ok(e instanceof GtidError, `expected GtidError, got ${String(e)}`);
  assert.equal(e.code, ErrorCode.ERR_INVALID_GTID);
  assert.ok(!e.message.includes('\n'), 'one-line message');
  return true;
}

const g = (domainId: number, serverId: number, seqNo: bigint): MariadbGtid => ({ domainId, serverId, seqNo });

describe('positions, as SET GLOBAL gtid_slave_pos takes them and @@gtid_slave_pos prints them', () => {
  for (const [input, expected] of MARIADB_POSITION_CASES) {
    test(JSON.stringify(input), () => {
      if (expected === null) {
        assert.throws(() => MariadbGtidPosition.parse(input), isGtidError);
      } else {
        const pos = MariadbGtidPosition.parse(input);
        assert.equal(pos.toString(), expected);
        assert.ok(MariadbGtidPosition.parse(expected).equals(pos));
      }
    });
  }
  test('a domain given twice is a position error but fine in a list', () => {
    assert.throws(() => MariadbGtidPosition.parse('1-2-3,1-4-5'), /duplicate domain id 1/);
    assert.deepEqual(parseMariadbGtidList('1-2-3,1-4-5'), [g(1, 2, 3n), g(1, 4, 5n)]);
    assert.equal(MariadbGtidPosition.from(parseMariadbGtidList('1-2-3,1-4-5')).toString(), '1-4-5');
  });
});

describe('binlog state and position through a run of transactions (MariaDB 11.8)', () => {
  const s = MARIADB_SCENARIO;
  const list = MariadbGtidList.parse(s.initialState);
  const positions = [list.toPosition()];
  for (const step of s.steps) {
    test(step.sql, () => {
      const gtid = parseMariadbGtid(step.lastGtid);
      list.update(gtid);
      const pos = positions[positions.length - 1].clone().update(gtid);
      positions.push(pos);
      assert.equal(pos.toString(), step.binlogPos, '@@gtid_binlog_pos');
      assert.equal(list.toPosition().toString(), step.binlogPos);
      assert.ok(MariadbGtidList.parse(step.binlogState).equals(list), '@@gtid_binlog_state');
      assert.ok(pos.contains(gtid));
    });
  }
  test('BINLOG_GTID_POS(file, pos) after each step', () => {
    assert.equal(s.binlogGtidPos.length, positions.length);
    s.binlogGtidPos.forEach(([, , text], k) => {
      const serverPos = MariadbGtidPosition.parse(text);
      assert.ok(serverPos.equals(positions[k]), `${text} vs ${positions[k].toString()}`);
    });
  });
  test('GTID_LIST event of the next binlog and BINLOG_GTID_POS at its start', () => {
    assert.ok(MariadbGtidList.parse(s.gtidListEvent).equals(list));
    assert.ok(MariadbGtidPosition.parse(s.afterFlush).equals(list.toPosition()));
  });
});

describe('GTIDs', () => {
  test('parse and format, full ranges', () => {
    const max = parseMariadbGtid('4294967295-4294967295-18446744073709551615');
    assert.deepEqual(max, g(4294967295, 4294967295, MARIADB_SEQ_NO_MAX));
    assert.equal(formatMariadbGtid(max), '4294967295-4294967295-18446744073709551615');
    assert.equal(formatMariadbGtid(parseMariadbGtid('+01- 2-\t03')), '1-2-3');
    for (const bad of [
      '',
      '1-2-3,4-5-6',
      '1-2',
      '1-2-3 ',
      '-1-2-3',
      '4294967296-1-1',
      '1-1-18446744073709551616',
    ]) {
      assert.throws(() => parseMariadbGtid(bad), isGtidError, bad);
    }
    for (const bad of [
      g(-1, 1, 1n),
      g(1.5, 1, 1n),
      g(2 ** 32, 1, 1n),
      g(1, 2 ** 32, 1n),
      g(1, 1, -1n),
      g(1, 1, MARIADB_SEQ_NO_MAX + 1n),
      g(1, 1, 1 as unknown as bigint),
    ]) {
      assert.throws(() => formatMariadbGtid(bad), isGtidError);
      assert.throws(() => new MariadbGtidPosition().update(bad), isGtidError);
      assert.throws(() => new MariadbGtidList().update(bad), isGtidError);
    }
  });
  test('compareMariadbGtids orders by domain, sequence number, server', () => {
    const list = [g(2, 1, 5n), g(1, 9, 7n), g(1, 3, 7n), g(1, 1, 8n), g(0, 5, 100n)];
    assert.deepEqual(list.sort(compareMariadbGtids).map(formatMariadbGtid), [
      '0-5-100',
      '1-3-7',
      '1-9-7',
      '1-1-8',
      '2-1-5',
    ]);
    assert.equal(compareMariadbGtids(g(1, 1, 1n), g(1, 1, 1n)), 0);
  });
  test('errors say where the text is wrong', () => {
    try {
      MariadbGtidPosition.parse('0-1-2,\n3-x-5');
      assert.fail('no error');
    } catch (e) {
      assert.ok(e instanceof GtidError);
      assert.equal(e.index, 9);
      assert.match(e.message, /expected server id at character 9/);
    }
  });
});

describe('positions', () => {
  test('update replaces the domain, whatever the sequence number', () => {
    const pos = MariadbGtidPosition.parse('0-1-10,1-1-5');
    pos.update(g(0, 2, 3n));
    assert.equal(pos.toString(), '0-2-3,1-1-5');
    assert.deepEqual(pos.get(0), g(0, 2, 3n));
    assert.equal(pos.get(7), undefined);
    assert.equal(pos.size, 2);
    assert.deepEqual(pos.domains(), [0, 1]);
    assert.ok(pos.delete(1));
    assert.equal(pos.toString(), '0-2-3');
  });
  test('contains: same domain and a sequence number at least as high', () => {
    const pos = MariadbGtidPosition.parse('0-1-10,1-1-5');
    assert.ok(pos.contains(g(0, 1, 10n)));
    assert.ok(pos.contains(g(0, 7, 9n)), 'server id does not matter');
    assert.ok(!pos.contains(g(0, 1, 11n)));
    assert.ok(!pos.contains(g(2, 1, 1n)));
    assert.ok(pos.contains(MariadbGtidPosition.parse('0-3-4,1-1-5')));
    assert.ok(!pos.contains(MariadbGtidPosition.parse('0-3-4,2-1-1')));
    assert.ok(pos.contains(new MariadbGtidPosition()));
  });
  test('clone is independent; iteration is by domain; toJSON', () => {
    const a = MariadbGtidPosition.parse('5-1-1,2-1-1');
    const b = a.clone().update(g(3, 1, 1n));
    assert.equal(a.toString(), '2-1-1,5-1-1');
    assert.deepEqual([...b].map(formatMariadbGtid), ['2-1-1', '3-1-1', '5-1-1']);
    assert.equal(JSON.stringify({ a }), '{"a":"2-1-1,5-1-1"}');
    assert.ok(new MariadbGtidPosition().isEmpty());
    assert.equal(new MariadbGtidPosition().toString(), '');
  });
});

describe('lists', () => {
  test('one GTID per (domain, server); the updated one becomes the most recent', () => {
    const list = MariadbGtidList.parse('0-1-5,0-2-7,1-1-3');
    assert.equal(list.size, 3);
    assert.deepEqual(list.mostRecent(0), g(0, 2, 7n));
    list.update(g(0, 1, 8n));
    assert.equal(list.toString(), '0-2-7,0-1-8,1-1-3');
    assert.deepEqual(list.get(0, 2), g(0, 2, 7n));
    assert.equal(list.toPosition().toString(), '0-1-8,1-1-3');
    assert.ok(list.deleteDomain(1));
    assert.equal(list.toString(), '0-2-7,0-1-8');
    assert.equal(list.mostRecent(1), undefined);
  });
  test('equals compares the GTIDs, in any order', () => {
    const a = MariadbGtidList.parse('0-1-5,0-2-7');
    assert.ok(a.equals(a.clone()));
    assert.ok(a.equals(MariadbGtidList.parse('0-2-7,0-1-5')));
    assert.equal(MariadbGtidList.parse('0-2-7,0-1-5').toPosition().toString(), '0-1-5');
    assert.ok(!a.equals(MariadbGtidList.parse('0-1-5,0-2-8')));
    assert.ok(!a.equals(MariadbGtidList.parse('0-1-5')));
    assert.ok(new MariadbGtidList().isEmpty());
  });
});
