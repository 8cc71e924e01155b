import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  charsetOfCollation,
  decodeText,
  isKnownCharset,
  maxBytesPerChar,
} from '../../../src/binlog/rows/charsets.js';
import { CHARSET_MAXLEN } from '../../../src/binlog/rows/charset-tables.js';
import { DecodeError, ErrorCode } from '../../../src/errors.js';
import { CHARSET_FIXTURES } from './values.fixtures.js';

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const dec = (h: string, cs: string): string => {
  const b = hex(h);
  return decodeText(b, 0, b.length, cs);
};

describe('charsetOfCollation', () => {
  test('ids of MySQL 9.7 and MariaDB 10.11 / 11.8 (information_schema)', () => {
    // A few ids as the servers list them (the integration test checks every id).
    assert.equal(charsetOfCollation(8), 'latin1'); // latin1_swedish_ci
    assert.equal(charsetOfCollation(33), 'utf8mb3'); // utf8mb3_general_ci
    assert.equal(charsetOfCollation(45), 'utf8mb4'); // utf8mb4_general_ci
    assert.equal(charsetOfCollation(63), 'binary');
    assert.equal(charsetOfCollation(255), 'utf8mb4'); // MySQL utf8mb4_0900_ai_ci
    assert.equal(charsetOfCollation(255, 'mysql'), 'utf8mb4');
    assert.equal(charsetOfCollation(248), 'gb18030'); // MySQL gb18030_chinese_ci
    assert.equal(charsetOfCollation(248, 'mariadb'), undefined);
    assert.equal(charsetOfCollation(2048, 'mariadb'), 'utf8mb3'); // utf8mb3_uca1400_ai_ci
    assert.equal(charsetOfCollation(2048, 'mysql'), undefined);
    assert.equal(charsetOfCollation(1025, 'mariadb'), 'big5'); // big5_chinese_nopad_ci
    assert.equal(charsetOfCollation(0), undefined);
    assert.equal(charsetOfCollation(999999), undefined);
    assert.equal(charsetOfCollation(-1), undefined);
  });

  test('maxBytesPerChar (CHARACTER_SETS.MAXLEN)', () => {
    assert.equal(maxBytesPerChar('utf8mb4'), 4);
    assert.equal(maxBytesPerChar('utf8mb3'), 3);
    assert.equal(maxBytesPerChar('utf8'), 3);
    assert.equal(maxBytesPerChar('UTF8MB4'), 4);
    assert.equal(maxBytesPerChar('latin1'), 1);
    assert.equal(maxBytesPerChar('ujis'), 3);
    assert.throws(() => maxBytesPerChar('__proto__'), DecodeError);
    assert.throws(() => decodeText(Buffer.alloc(1), 0, 1, 'constructor'), DecodeError);
    assert.throws(
      () => maxBytesPerChar('klingon'),
      (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_UNKNOWN_CHARSET,
    );
  });
});

describe('decodeText', () => {
  test('the same text encoded by MySQL 9.7 in every character set', () => {
    for (const f of CHARSET_FIXTURES) assert.equal(dec(f.hex, f.charset), f.text, f.charset);
    assert.equal(CHARSET_FIXTURES.length, Object.keys(CHARSET_MAXLEN).length - 1); // all but binary
  });

  test('latin1 is MySQL’s cp1252 (strings/ctype-latin1.cc)', () => {
    // 0x80 € and 0x81 0x8D 0x8F 0x90 0x9D kept as C1 controls; 0xE9 é
    assert.equal(dec('80 81 8d 8f 90 9d e9 41', 'latin1'), '€\u0081\u008d\u008f\u0090\u009dé\u0041');
  });

  test('invalid bytes become U+FFFD and decoding goes on', () => {
    assert.equal(dec('41 ff 42', 'utf8mb4'), 'A\ufffdB');
    assert.equal(dec('41 80 42', 'ascii'), 'A\ufffdB');
    assert.equal(dec('81 41', 'cp1250'), '\ufffdA'); // 0x81 has no character in cp1250
    assert.equal(dec('c4', 'gbk'), '\ufffd'); // a lead byte at the end
    assert.equal(dec('c4 e3 c4', 'gbk'), '你\ufffd');
    assert.equal(dec('80 41', 'sjis'), '\ufffdA');
    assert.equal(dec('8f a1', 'ujis'), '\ufffd\ufffd'); // a 3-byte code cut short
    assert.equal(dec('81 30 81', 'gb18030'), '\ufffd0\ufffd');
    assert.equal(dec('00 00 d8 00 00 11 00 00 41', 'utf32'), '\ufffd\ufffd\ufffd'); // surrogate, > U+10FFFF, 1 byte
    assert.equal(dec('00 41 d8', 'utf16'), 'A\ufffd');
    assert.equal(dec('d8 00 00 41', 'ucs2'), '\ufffdA');
    // a surrogate pair is two invalid characters in UCS-2 (one character in UTF-16)
    assert.equal(dec('d8 3d de 00', 'ucs2'), '\ufffd\ufffd');
    assert.equal(dec('d8 3d de 00', 'utf16'), '\u{1f600}');
    assert.equal(dec('00 41 00', 'ucs2'), 'A\ufffd');
  });

  test('multi-byte codes of each kind', () => {
    // Codes as the server encodes 中文 / 日本語 / 한국어 (see CHARSET_FIXTURES).
    assert.equal(dec('d6 d0 ce c4', 'gbk'), '中文');
    assert.equal(dec('a4 a4 a4 e5', 'big5'), '中文');
    assert.equal(dec('93 fa 96 7b 8c ea', 'sjis'), '日本語');
    assert.equal(dec('c6 fc cb dc b8 ec', 'ujis'), '日本語');
    assert.equal(dec('c7 d1 b1 b9 be ee', 'euckr'), '한국어');
    assert.equal(dec('b1', 'sjis'), 'ｱ'); // half-width katakana is one byte in sjis
    assert.equal(dec('8e b1', 'ujis'), 'ｱ'); // and two in ujis
    assert.equal(dec('84 31 a4 39', 'gb18030'), '\uffff'); // last 4-byte code of the BMP range
    assert.equal(dec('90 30 81 30', 'gb18030'), '\u{10000}');
    assert.equal(dec('e3 32 9a 35', 'gb18030'), '\u{10ffff}');
    assert.equal(dec('00 01 f6 00', 'utf32'), '😀');
    assert.equal(dec('d8 3d de 00', 'utf16'), '😀');
    assert.equal(dec('3d d8 00 de', 'utf16le'), '😀');
  });

  test('a byte-order mark is text, not stripped', () => {
    assert.equal(dec('ef bb bf 41', 'utf8mb4'), '\ufeffA');
    assert.equal(dec('fe ff 00 41', 'utf16'), '\ufeffA');
    assert.equal(dec('ff fe 41 00', 'utf16le'), '\ufeffA');
  });

  test('names: case-insensitive, utf8 is utf8mb3, binary maps bytes to U+0000..U+00FF', () => {
    assert.equal(dec('c3a9', 'UTF8MB4'), 'é');
    assert.equal(dec('c3a9', 'utf8'), 'é');
    assert.equal(dec('c3a9', 'binary'), 'Ã©');
    assert.ok(isKnownCharset('Latin1'));
    assert.ok(!isKnownCharset('klingon'));
    assert.throws(
      () => dec('41', 'klingon'),
      (e: unknown) => e instanceof DecodeError && e.code === ErrorCode.ERR_UNKNOWN_CHARSET,
    );
  });

  test('property: any bytes in any character set decode without throwing', () => {
    const sets = Object.keys(CHARSET_MAXLEN);
    fc.assert(
      fc.property(fc.constantFrom(...sets), fc.uint8Array({ maxLength: 64 }), fc.nat(), (cs, a, cut) => {
        const b = Buffer.from(a);
        const end = b.length === 0 ? 0 : cut % (b.length + 1);
        assert.equal(typeof decodeText(b, 0, end, cs), 'string');
      }),
      { numRuns: 5000 },
    );
  });
});
