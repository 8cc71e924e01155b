import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Cursor } from '../../../src/binlog/cursor.js';
import {
  datetime2BinarySize,
  dateTextCache,
  decodeDate,
  decodeDatetime,
  decodeDatetime2,
  decodeMariadbDatetimeHires,
  decodeMariadbTimeHires,
  decodeMariadbTimestampHires,
  decodeTime,
  decodeTime2,
  decodeTimestamp,
  decodeTimestamp2,
  decodeYear,
  MYSQL_TYPE_DATE,
  MYSQL_TYPE_DATETIME,
  MYSQL_TYPE_DATETIME2,
  MYSQL_TYPE_TIME,
  MYSQL_TYPE_TIME2,
  MYSQL_TYPE_TIMESTAMP,
  MYSQL_TYPE_TIMESTAMP2,
  MYSQL_TYPE_YEAR,
  temporalBinarySize,
  time2BinarySize,
  timestamp2BinarySize,
} from '../../../src/binlog/rows/temporal.js';
import { DecodeError, ErrorCode } from '../../../src/errors.js';
import type { Kind } from '../../integration/rows/capture.js';
import { MARIADB_TEMPORAL_FIXTURES, TEMPORAL_FIXTURES, type ValueFixture } from './values.fixtures.js';

const hex = (h: string): Buffer => Buffer.from(h, 'hex');

function decodeKind(k: Kind, cur: Cursor): string | number {
  switch (k.kind) {
    case 'time2':
      return decodeTime2(cur, k.fsp);
    case 'datetime2':
      return decodeDatetime2(cur, k.fsp);
    case 'timestamp2':
      return decodeTimestamp2(cur, k.fsp);
    case 'mariadb-time':
      return decodeMariadbTimeHires(cur, k.fsp);
    case 'mariadb-datetime':
      return decodeMariadbDatetimeHires(cur, k.fsp);
    case 'mariadb-timestamp':
      return decodeMariadbTimestampHires(cur, k.fsp);
    case 'date':
      return decodeDate(cur);
    case 'year':
      return decodeYear(cur);
    default:
      throw new Error(`not temporal: ${k.kind}`);
  }
}

function checkFixtures(fixtures: ValueFixture[]): void {
  for (const f of fixtures) {
    const cur = new Cursor(hex(f.hex));
    const want = f.kind.kind === 'year' ? Number(f.text) : f.text;
    assert.equal(decodeKind(f.kind, cur), want, `${JSON.stringify(f.kind)} ${f.hex}`);
    assert.equal(cur.remaining, 0);
  }
}

const one = <T>(f: (cur: Cursor) => T, h: string): T => {
  const cur = new Cursor(hex(h));
  const v = f(cur);
  assert.equal(cur.remaining, 0);
  return v;
};

describe('temporal values', () => {
  test('MySQL 9.7 fixtures: TIME2/DATETIME2/TIMESTAMP2 at every fsp, DATE, YEAR', () => {
    checkFixtures(TEMPORAL_FIXTURES);
    assert.ok(TEMPORAL_FIXTURES.length > 200);
  });

  test('MariaDB 11.8 fixtures without the 5.6 format (old types and MariaDB hires)', () => {
    checkFixtures(MARIADB_TEMPORAL_FIXTURES);
    assert.ok(MARIADB_TEMPORAL_FIXTURES.length > 200);
  });

  test('a column cache (day, second) gives the same text as decoding without it', () => {
    // per fsp, the fixtures one after another through one cache, then again in reverse and shuffled:
    // equal and different days and seconds follow each other, with different fractions
    const kinds = ['datetime2', 'timestamp2'] as const;
    // whole seconds (fsp 0) of non-zero values, reused below with random fractions
    const pool = TEMPORAL_FIXTURES.filter(
      (f) =>
        (f.kind.kind === 'datetime2' || f.kind.kind === 'timestamp2') &&
        f.kind.fsp === 0 &&
        !f.text.startsWith('0000'),
    );
    for (const kind of kinds) {
      for (let fsp = 0; fsp <= 6; fsp++) {
        const fixtures = TEMPORAL_FIXTURES.filter(
          (f) => f.kind.kind === kind && 'fsp' in f.kind && f.kind.fsp === fsp,
        );
        assert.ok(fixtures.length > 3, `${kind}(${fsp}) fixtures`);
        const order = [...fixtures, ...[...fixtures].reverse(), ...fixtures.filter((_, i) => i % 3 === 1)];
        const cache = dateTextCache();
        for (const f of order) {
          const cur = new Cursor(hex(f.hex));
          const got =
            kind === 'datetime2' ? decodeDatetime2(cur, fsp, cache) : decodeTimestamp2(cur, fsp, cache);
          assert.equal(got, f.text, `${kind}(${fsp}) ${f.hex} after the cache held ${cache.secText}`);
        }
      }
    }
    // the same seconds again and again with other fractions: cached and uncached text agree
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...pool), fc.integer({ min: 0, max: 999999 })), { maxLength: 50 }),
        fc.integer({ min: 1, max: 6 }),
        (values, fsp) => {
          const cache = [dateTextCache(), dateTextCache()];
          for (const [fixture, usec] of values) {
            const b = Buffer.alloc(9);
            hex(fixture.hex).copy(b, 0, 0, fixture.kind.kind === 'datetime2' ? 5 : 4);
            const n = fixture.kind.kind === 'datetime2' ? 5 : 4;
            b.writeUIntBE(Math.floor(usec / 10 ** (6 - fsp)) * (fsp % 2 ? 10 : 1), n, Math.ceil(fsp / 2));
            const len = n + Math.ceil(fsp / 2);
            const dec = fixture.kind.kind === 'datetime2' ? decodeDatetime2 : decodeTimestamp2;
            const k = fixture.kind.kind === 'datetime2' ? 0 : 1;
            const plain = dec(new Cursor(b, 0, len), fsp);
            assert.equal(dec(new Cursor(b, 0, len), fsp, cache[k]), plain);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a DATETIME2 / TIMESTAMP2 column cache (day, minute, second) over runs of seconds', () => {
    // walks of seconds that cross minutes, hours, days, months and years (and land on the same minute of
    // another hour or day), with fractions, through one cache per column: the text decoded without it
    const steps = [0, 1, -1, 59, -59, 60, -60, 61, 3540, 3600, -3600, 86340, 86400, -86400, 86460, 2_678_400];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4_102_444_800 - 10_000_000 }),
        fc.array(
          fc.tuple(fc.oneof(fc.constantFrom(...steps), fc.integer({ min: -200, max: 200 })), fc.nat(999)),
          {
            maxLength: 60,
          },
        ),
        (start, walk) => {
          const caches = [dateTextCache(), dateTextCache()];
          let sec = start;
          for (const [step, ms] of walk) {
            sec = Math.max(1, sec + step);
            const ts = Buffer.alloc(6);
            ts.writeUInt32BE(sec, 0);
            ts.writeUInt16BE(ms, 4);
            assert.equal(decodeTimestamp2(new Cursor(ts), 3, caches[0]), decodeTimestamp2(new Cursor(ts), 3));
            const d = new Date(sec * 1000);
            const ymd = (d.getUTCFullYear() * 13 + d.getUTCMonth() + 1) * 32 + d.getUTCDate();
            const hms = (d.getUTCHours() << 12) | (d.getUTCMinutes() << 6) | d.getUTCSeconds();
            const dt = Buffer.alloc(7);
            dt.writeUIntBE(ymd * 0x20000 + hms + 0x8000000000, 0, 5);
            dt.writeUInt16BE(ms * 10, 5);
            assert.equal(decodeDatetime2(new Cursor(dt), 4, caches[1]), decodeDatetime2(new Cursor(dt), 4));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a DATE column cache (the month) gives the same text as decoding without it', () => {
    // the server's DATE fixtures (zero and partly zero dates among them) in order, reversed, repeated
    const fixtures = TEMPORAL_FIXTURES.filter((f) => f.kind.kind === 'date');
    assert.ok(fixtures.length > 3, 'DATE fixtures');
    const cache = dateTextCache();
    for (const f of [...fixtures, ...[...fixtures].reverse(), ...fixtures, ...fixtures]) {
      assert.equal(decodeDate(new Cursor(hex(f.hex)), cache), f.text, `${f.hex} after ${cache.text}`);
    }
    // runs of days in a few neighbouring months (any year, month 0-15, day 0-31 as 3 bytes can hold),
    // one after another through one cache: the same text as without it
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: (1 << 19) - 4 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 31 })), {
          maxLength: 60,
        }),
        (firstMonth, days) => {
          const c = dateTextCache();
          for (const [m, d] of days) {
            const b = Buffer.alloc(3);
            b.writeUIntLE(((firstMonth + m) << 5) | d, 0, 3);
            assert.equal(decodeDate(new Cursor(b), c), decodeDate(new Cursor(b)));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a TIME2 column cache (sign, hour, minute) gives the same text as decoding without it', () => {
    for (let fsp = 0; fsp <= 6; fsp++) {
      const fixtures = TEMPORAL_FIXTURES.filter(
        (f) => f.kind.kind === 'time2' && 'fsp' in f.kind && f.kind.fsp === fsp,
      );
      assert.ok(fixtures.length > 3, `TIME(${fsp}) fixtures`);
      const cache = dateTextCache();
      for (const f of [...fixtures, ...[...fixtures].reverse(), ...fixtures, ...fixtures]) {
        assert.equal(
          decodeTime2(new Cursor(hex(f.hex)), fsp, cache),
          f.text,
          `TIME(${fsp}) ${f.hex} after ${cache.text}`,
        );
      }
    }
    // runs of seconds around a few minutes either side of zero, with fractions, through one cache
    fc.assert(
      fc.property(
        // near zero (where -00:00:01 and 00:00:01 meet) or anywhere
        fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -3_000_000, max: 3_000_000 })),
        fc.array(fc.tuple(fc.integer({ min: -200, max: 200 }), fc.integer({ min: 0, max: 99 })), {
          maxLength: 60,
        }),
        (start, steps) => {
          const c = dateTextCache();
          for (const [step, frac] of steps) {
            const sec = Math.max(-3_020_399, Math.min(3_020_399, start + step));
            const a = Math.abs(sec);
            let int =
              ((Math.floor(a / 3600) << 12) | ((Math.floor(a / 60) % 60) << 6) | (a % 60)) * 0x100 + frac;
            if (sec < 0) int = -int;
            const b = Buffer.alloc(4);
            b.writeUIntBE((int + 0x80000000) >>> 0, 0, 4);
            assert.equal(decodeTime2(new Cursor(b), 2, c), decodeTime2(new Cursor(b), 2));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('golden bytes, field by field', () => {
    // TIME2(2) -00:00:00.01 (MySQL 9.7): 7f ff ff = int part -1 + 0x800000; ff = fraction byte. A negative
    // value with a fraction stores int - 1 and 0x100 - hundredths: int + 1 = 0, frac 0xff - 0x100 = -1.
    assert.equal(
      one((c) => decodeTime2(c, 2), '7fffffff'),
      '-00:00:00.01',
    );
    // TIME2(0) -838:59:59: 0x800000 - (838 << 12 | 59 << 6 | 59) = 0x4b9105 (as the server wrote it)
    assert.equal(
      one((c) => decodeTime2(c, 0), '4b9105'),
      '-838:59:59',
    );
    // DATETIME2(0) 9999-12-31 23:59:59: 0x8000000000 + ((9999 * 13 + 12) << 22 | 31 << 17 | 23 << 12 | 59 << 6 | 59)
    const dt = 0x8000000000 + (9999 * 13 + 12) * 2 ** 22 + 31 * 2 ** 17 + ((23 << 12) | (59 << 6) | 59);
    assert.equal(
      one((c) => decodeDatetime2(c, 0), dt.toString(16)),
      '9999-12-31 23:59:59',
    );
    // TIMESTAMP2(6): 7f ff ff ff = 2147483647 s, 0f 42 3f = 999999 µs
    assert.equal(
      one((c) => decodeTimestamp2(c, 6), '7fffffff0f423f'),
      '2038-01-19 03:14:07.999999',
    );
    // DATE 2020-02-29: 2020 << 9 | 2 << 5 | 29 = 0x0fc85d, little-endian
    assert.equal(one(decodeDate, '5dc80f'), '2020-02-29');
  });

  test('zero values', () => {
    assert.equal(
      one((c) => decodeTimestamp2(c, 3), '000000000000'),
      '0000-00-00 00:00:00.000',
    );
    assert.equal(
      one((c) => decodeTimestamp2(c, 0), '00000000'),
      '0000-00-00 00:00:00',
    );
    assert.equal(one(decodeTimestamp, '00000000'), '0000-00-00 00:00:00');
    assert.equal(one(decodeDatetime, '0000000000000000'), '0000-00-00 00:00:00');
    assert.equal(one(decodeDate, '000000'), '0000-00-00');
    assert.equal(one(decodeYear, '00'), 0);
  });

  test('pre-5.6 layouts (mysqlbinlog log_event_print_value)', () => {
    // TIME: signed 3-byte HHMMSS; DATETIME: the 8-byte number YYYYMMDDhhmmss; TIMESTAMP: 4-byte seconds.
    assert.equal(one(decodeTime, '590a80'), '-838:59:59');
    assert.equal(one(decodeTime, 'f78a01'), '10:11:11');
    assert.equal(one(decodeDatetime, '7787d105f15a0000'), '9999-12-31 23:59:59');
    assert.equal(one(decodeTimestamp, 'ffffff7f'), '2038-01-19 03:14:07');
  });

  test('TIMESTAMP never depends on the host time zone', () => {
    const stamps = TEMPORAL_FIXTURES.filter((f) => f.kind.kind === 'timestamp2');
    const before = stamps.map((f) => decodeKind(f.kind, new Cursor(hex(f.hex))));
    const saved = process.env.TZ;
    try {
      for (const tz of ['Pacific/Kiritimati', 'America/St_Johns', 'Asia/Kathmandu']) {
        process.env.TZ = tz;
        assert.deepEqual(
          stamps.map((f) => decodeKind(f.kind, new Cursor(hex(f.hex)))),
          before,
          tz,
        );
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  test('binary sizes', () => {
    for (let fsp = 0; fsp <= 6; fsp++) {
      const frac = (fsp + 1) >> 1;
      assert.equal(time2BinarySize(fsp), 3 + frac);
      assert.equal(datetime2BinarySize(fsp), 5 + frac);
      assert.equal(timestamp2BinarySize(fsp), 4 + frac);
      assert.equal(temporalBinarySize(MYSQL_TYPE_TIME2, fsp), 3 + frac);
      assert.equal(temporalBinarySize(MYSQL_TYPE_DATETIME2, fsp), 5 + frac);
      assert.equal(temporalBinarySize(MYSQL_TYPE_TIMESTAMP2, fsp), 4 + frac);
    }
    for (const f of [...TEMPORAL_FIXTURES, ...MARIADB_TEMPORAL_FIXTURES]) {
      const k = f.kind as { kind: string; fsp?: number };
      const type = {
        time2: MYSQL_TYPE_TIME2,
        datetime2: MYSQL_TYPE_DATETIME2,
        timestamp2: MYSQL_TYPE_TIMESTAMP2,
        'mariadb-time': MYSQL_TYPE_TIME,
        'mariadb-datetime': MYSQL_TYPE_DATETIME,
        'mariadb-timestamp': MYSQL_TYPE_TIMESTAMP,
        date: MYSQL_TYPE_DATE,
        year: MYSQL_TYPE_YEAR,
      }[k.kind]!;
      assert.equal(
        temporalBinarySize(type, k.fsp ?? 0, k.kind.startsWith('mariadb')),
        f.hex.length / 2,
        f.hex,
      );
    }
    assert.equal(temporalBinarySize(MYSQL_TYPE_TIME2, 7), undefined);
    assert.equal(temporalBinarySize(3), undefined);
  });

  test('an fsp outside 0..6 is ERR_BAD_VALUE', () => {
    for (const f of [decodeTime2, decodeDatetime2, decodeTimestamp2, decodeMariadbTimeHires]) {
      for (const fsp of [-1, 7, 1.5]) {
        assert.throws(
          () => f(new Cursor(Buffer.alloc(16)), fsp),
          (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_BAD_VALUE,
        );
      }
    }
  });

  test('bytes no server writes are ERR_BAD_VALUE', () => {
    const bad = (f: () => unknown): void =>
      assert.throws(f, (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_BAD_VALUE);
    // TIME2(6) with a fraction of 0xffffff µs
    bad(() => decodeTime2(new Cursor(hex('800000ffffff')), 6));
    // DATETIME2 with a negative int part (sign bit clear)
    bad(() => decodeDatetime2(new Cursor(hex('0000000000')), 0));
    // DATETIME2(6) / TIMESTAMP2(6) with a fraction above 999999
    bad(() => decodeDatetime2(new Cursor(hex('80000000000f4240')), 6));
    bad(() => decodeTimestamp2(new Cursor(hex('000000010f4240')), 6));
    // old DATETIME above 2^53
    bad(() => decodeDatetime(new Cursor(hex('ffffffffffffffff'))));
  });

  test('every strict prefix of a fixture is ERR_TRUNCATED', () => {
    for (const f of [...TEMPORAL_FIXTURES, ...MARIADB_TEMPORAL_FIXTURES]) {
      const bytes = hex(f.hex);
      for (let n = 0; n < bytes.length; n++) {
        assert.throws(
          () => decodeKind(f.kind, new Cursor(bytes, 0, n, 500)),
          (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_TRUNCATED && e.offset === 500,
        );
      }
    }
  });

  test('property: random bytes give a string of the right shape or DecodeError', () => {
    const decoders: ((c: Cursor, fsp: number) => string | number)[] = [
      decodeTime2,
      decodeDatetime2,
      decodeTimestamp2,
      decodeMariadbTimeHires,
      decodeMariadbDatetimeHires,
      decodeMariadbTimestampHires,
      (c) => decodeTime(c),
      (c) => decodeDatetime(c),
      (c) => decodeTimestamp(c),
      (c) => decodeDate(c),
      (c) => decodeYear(c),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: decoders.length - 1 }),
        fc.integer({ min: 0, max: 6 }),
        fc.uint8Array({ maxLength: 10 }),
        (i, fsp, bytes) => {
          try {
            const v = decoders[i](new Cursor(Buffer.from(bytes)), fsp);
            if (typeof v === 'string')
              assert.match(
                v,
                /^-?[0-9]{2,}[-:][0-9]{2}[-:][0-9]{2}( [0-9]{2,}:[0-9]{2}:[0-9]{2})?(\.[0-9]+)?$/,
              );
          } catch (e) {
            assert.ok(e instanceof DecodeError, String(e));
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
});
