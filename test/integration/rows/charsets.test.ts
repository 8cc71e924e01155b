// Character sets against real servers: every collation id's character set, every byte of every single-byte
// character set, every 2-byte (and the 3-byte JIS X 0212) code of the East Asian multi-byte sets, and text
// in the Unicode sets, each converted by the server (CONVERT(... USING utf8mb4)) and by decodeText.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  charsetOfCollation,
  decodeText,
  isKnownCharset,
  maxBytesPerChar,
} from '../../../src/binlog/rows/charsets.js';
import { startLocalServer, type LocalServer } from '../../../src/servers/local-server.js';
import { testServerNames } from '../../harness/servers.js';

interface ServerCode {
  bytes: Buffer;
  /** the server's text of the code */
  text: string;
  /** the code has no character (the server writes "?", nothing or U+FFFD) */
  invalid: boolean;
  /** the server counts the code as one character (CHAR_LENGTH 1) */
  one: boolean;
}

/** What the server makes of each code lo..hi (big-endian, `width` bytes) in charset cs. */
async function convertCodes(
  server: LocalServer,
  cs: string,
  lo: number,
  hi: number,
  width: number,
): Promise<ServerCode[]> {
  const depth =
    server.flavor === 'mysql'
      ? 'SET SESSION cte_max_recursion_depth = 1000000; '
      : 'SET SESSION max_recursive_iterations = 1000000; ';
  const out = await server.sql(
    `${depth}WITH RECURSIVE n(i) AS (SELECT ${lo} UNION ALL SELECT i + 1 FROM n WHERE i < ${hi}) ` +
      `SELECT HEX(c), IFNULL(HEX(CONVERT(CAST(c AS CHAR CHARACTER SET ${cs}) USING utf8mb4)), ''), ` +
      `IFNULL(CHAR_LENGTH(CAST(c AS CHAR CHARACTER SET ${cs})), 0) ` +
      `FROM (SELECT UNHEX(LPAD(HEX(i), ${width * 2}, '0')) AS c FROM n) x`,
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [code, utf8, chars] = line.split('\t');
      const bytes = Buffer.from(code, 'hex');
      const text = Buffer.from(utf8, 'hex').toString('utf8');
      // The server writes "?" (MariaDB), nothing (MySQL: an error) or U+FFFD for a code that is not valid.
      const invalid =
        text === '' ||
        text.includes('\ufffd') ||
        (text.includes('?') && !(bytes.length === 1 && bytes[0] === 0x3f));
      return { bytes, text, invalid, one: chars === '1' };
    });
}

interface Tally {
  same: number;
  bothInvalid: number;
  /** Multi-byte codes that are one character without a Unicode character: one U+FFFD. */
  oneUnmapped: number;
  /** Decoded to characters although the server says the code is not valid. */
  extensions: number;
  mismatches: string[];
}

function compare(cs: string, rows: ServerCode[], t: Tally): void {
  for (const { bytes, text: want, invalid, one } of rows) {
    if (one && bytes.length > 1) {
      // One character to the server: one here too (U+FFFD when it has none), followed by an "A" that
      // must come out as it is (a decoder that took the code's first byte alone read its other bytes
      // as characters, or paired them with the "A").
      const withA = Buffer.concat([bytes, Buffer.from('A')]);
      const got = decodeText(withA, 0, withA.length, cs);
      if (got === (invalid ? '\ufffd' : want) + 'A') {
        if (invalid) t.oneUnmapped++;
        else t.same++;
      } else {
        t.mismatches.push(
          `${cs} ${bytes.toString('hex')} (one character): server ${JSON.stringify(want)}, ` +
            `decoded ${JSON.stringify(got)} with an "A" after it`,
        );
      }
      continue;
    }
    const got = decodeText(bytes, 0, bytes.length, cs);
    if (got === want) {
      t.same++;
    } else if (invalid) {
      if (got.includes('\ufffd')) t.bothInvalid++;
      else {
        t.extensions++;
        if (t.extensions <= 5)
          console.log(`#   ${cs} ${bytes.toString('hex')} decodes to ${JSON.stringify(got)}`);
      }
    } else {
      t.mismatches.push(
        `${cs} ${bytes.toString('hex')}: server ${JSON.stringify(want)}, decoded ${JSON.stringify(got)}`,
      );
    }
  }
}

const EAST_ASIAN: [string, number][] = [
  ['gbk', 2],
  ['gb2312', 2],
  ['big5', 2],
  ['sjis', 2],
  ['cp932', 2],
  ['euckr', 2],
  ['ujis', 2],
  ['eucjpms', 2],
  ['gb18030', 2],
];

const UNICODE_SAMPLE =
  'ASCII ~ Ünïcödé € ™ Ελληνικά Кириллица עברית العربية 中文 日本語 ｶﾀｶﾅ 한국어 \u00a0\u2028\ufeff 😀 𝄞 \u{10ffff}';

for (const name of testServerNames()) {
  describe(`character sets on ${name}`, () => {
    let server: LocalServer;
    before(async () => {
      server = await startLocalServer(name);
    });
    after(() => server?.stop());

    test('every collation id maps to the server’s character set', async () => {
      const queries = [
        'SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATIONS WHERE ID IS NOT NULL',
      ];
      // MariaDB 10.10+ lists its UCA 14 collations (one id per character set) only here, with an ID column
      const applicabilityIds = (
        await server.sql(
          "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'information_schema' AND " +
            "TABLE_NAME = 'COLLATION_CHARACTER_SET_APPLICABILITY' AND COLUMN_NAME = 'ID'",
        )
      ).trim();
      if (server.flavor === 'mariadb' && applicabilityIds) {
        queries.push(
          'SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY WHERE ID IS NOT NULL',
        );
      }
      let n = 0;
      for (const q of queries) {
        for (const line of (await server.sql(q)).split('\n').filter(Boolean)) {
          const [id, name] = line.split('\t');
          // before MariaDB 10.6 the server calls utf8mb3 'utf8'
          const cs = name === 'utf8' ? 'utf8mb3' : name;
          assert.equal(charsetOfCollation(Number(id), server.flavor), cs, `collation ${id}`);
          assert.equal(charsetOfCollation(Number(id)), cs, `collation ${id} without flavor`);
          n++;
        }
      }
      const [maxlens, sets] = [
        await server.sql('SELECT CHARACTER_SET_NAME, MAXLEN FROM information_schema.CHARACTER_SETS'),
        0,
      ];
      void sets;
      for (const line of maxlens.split('\n').filter(Boolean)) {
        const [cs, m] = line.split('\t');
        assert.ok(isKnownCharset(cs), cs);
        assert.equal(maxBytesPerChar(cs), Number(m), cs);
      }
      console.log(`# ${name}: ${n} collation ids checked`);
      assert.ok(n > 250);
    });

    test('every byte of every single-byte character set', async () => {
      const sets = (
        await server.sql(
          "SELECT CHARACTER_SET_NAME FROM information_schema.CHARACTER_SETS WHERE MAXLEN = 1 AND CHARACTER_SET_NAME <> 'binary'",
        )
      )
        .split('\n')
        .filter(Boolean);
      const t: Tally = { same: 0, bothInvalid: 0, oneUnmapped: 0, extensions: 0, mismatches: [] };
      for (const cs of sets) compare(cs, await convertCodes(server, cs, 0, 255, 1), t);
      console.log(
        `# ${name}: single-byte ${sets.length} sets ${JSON.stringify({ ...t, mismatches: t.mismatches.length })}`,
      );
      assert.deepEqual(t.mismatches, []);
      assert.equal(t.extensions, 0);
      assert.equal(t.same + t.bothInvalid, sets.length * 256);
    });

    test('every 2-byte code (and JIS X 0212 3-byte code) of the East Asian character sets', async () => {
      const t: Tally = { same: 0, bothInvalid: 0, oneUnmapped: 0, extensions: 0, mismatches: [] };
      for (const [cs] of EAST_ASIAN) {
        if (!isKnownCharset(cs) || !(await server.sql(`SHOW CHARACTER SET LIKE '${cs}'`)).trim()) continue;
        compare(cs, await convertCodes(server, cs, 0x8100, 0xfeff, 2), t);
        if (cs === 'ujis' || cs === 'eucjpms')
          compare(cs, await convertCodes(server, cs, 0x8fa1a1, 0x8ffefe, 3), t);
        if (cs === 'gb18030') {
          // 4-byte codes: the start of the BMP range, the end of the BMP range (U+FFFF and the invalid codes
          // after it), and the supplementary planes' ends.
          compare(cs, await convertCodes(server, cs, 0x81308130, 0x81309999, 4), t);
          compare(cs, await convertCodes(server, cs, 0x8431a030, 0x8431ffff, 4), t);
          compare(cs, await convertCodes(server, cs, 0x90308130, 0x90309999, 4), t);
          compare(cs, await convertCodes(server, cs, 0xe3329a30, 0xe3329fff, 4), t);
        }
      }
      console.log(`# ${name}: East Asian codes ${JSON.stringify({ ...t, mismatches: t.mismatches.length })}`);
      for (const m of t.mismatches.slice(0, 40)) console.log('#   ' + m);
      assert.deepEqual(t.mismatches, []);
      assert.equal(t.extensions, 0);
    });

    test('Unicode character sets round-trip text the server encoded', async () => {
      let n = 0;
      for (const name of ['utf8mb4', 'utf8mb3', 'ucs2', 'utf16', 'utf16le', 'utf32', 'gb18030']) {
        // MariaDB before 10.6 knows utf8mb3 only as 'utf8'
        let cs = name;
        if (cs === 'utf8mb3' && !(await server.sql(`SHOW CHARACTER SET LIKE '${cs}'`)).trim()) cs = 'utf8';
        if (!(await server.sql(`SHOW CHARACTER SET LIKE '${cs}'`)).trim()) continue;
        const hex = (
          await server.sql(
            `SELECT HEX(CONVERT(_utf8mb4 X'${Buffer.from(UNICODE_SAMPLE).toString('hex')}' USING ${cs})), ` +
              `HEX(CONVERT(CONVERT(_utf8mb4 X'${Buffer.from(UNICODE_SAMPLE).toString('hex')}' USING ${cs}) USING utf8mb4))`,
          )
        )
          .trim()
          .split('\t');
        const bytes = Buffer.from(hex[0], 'hex');
        const want = Buffer.from(hex[1], 'hex').toString('utf8');
        assert.equal(decodeText(bytes, 0, bytes.length, cs), want, cs);
        n++;
      }
      assert.ok(n >= 6);
      // UCS-2 has no surrogate pairs: the server counts x'D83DDE00' as two characters that have no
      // Unicode text (converted to UTF-16 each is '?'; to utf8mb4, ill-formed bytes); decodeText gives
      // U+FFFD for each, where UTF-16 would make one character of them
      const [len, text] = (
        await server.sql(
          "SELECT CHAR_LENGTH(CAST(X'D83DDE00' AS CHAR CHARACTER SET ucs2)), HEX(CONVERT(CAST(X'D83DDE00' AS CHAR CHARACTER SET ucs2) USING utf16))",
        )
      )
        .trim()
        .split('\t');
      assert.deepEqual([len, Buffer.from(text, 'hex').swap16().toString('utf16le')], ['2', '??']);
      assert.equal(decodeText(Buffer.from('d83dde00', 'hex'), 0, 4, 'ucs2'), '\ufffd\ufffd');
    });
  });
}
