import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { shortUtf8Text, StringCache } from '../../../src/binlog/rows/buffer-text.js';

// bytes that make the cases that matter: ASCII, the halves of 'é' (C3 A9) and of '€' (E2 82 AC), a
// byte that is never UTF-8 (FF), and Latin-1 'é' alone (E9), whose char code equals a cached 'é'
const ALPHABET = [0x61, 0x62, 0x7f, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff, 0xe9, 0x00];
const bytes = fc.array(fc.constantFrom(...ALPHABET), { minLength: 0, maxLength: 40 });

describe('buffer text', () => {
  test('shortUtf8Text is Buffer UTF-8 decoding, at every length', () => {
    fc.assert(
      fc.property(bytes, (arr) => {
        const b = Buffer.from([0x20, ...arr, 0x20]);
        assert.equal(shortUtf8Text(b, 1, b.length - 1), b.toString('utf8', 1, b.length - 1));
      }),
      { numRuns: 5000 },
    );
  });

  test('shortUtf8Text is Buffer UTF-8 decoding: ASCII of every length up to and past the JS path', () => {
    // ASCII bytes (all of 0x00-0x7f), and one non-ASCII byte put at any place
    const ascii = fc.array(fc.integer({ min: 0, max: 0x7f }), { minLength: 0, maxLength: 20 });
    fc.assert(
      fc.property(ascii, fc.nat(), fc.constantFrom(0x80, 0xc3, 0xe2, 0xff), (arr, at, odd) => {
        const b = Buffer.from([0x20, ...arr, 0x20]);
        assert.equal(shortUtf8Text(b, 1, b.length - 1), b.toString('utf8', 1, b.length - 1));
        if (arr.length > 0) b[1 + (at % arr.length)] = odd;
        assert.equal(shortUtf8Text(b, 1, b.length - 1), b.toString('utf8', 1, b.length - 1));
      }),
      { numRuns: 5000 },
    );
  });

  test('StringCache returns what decoding would, whatever came before', () => {
    fc.assert(
      fc.property(fc.array(bytes, { minLength: 1, maxLength: 60 }), (list) => {
        // one slot: every string collides with the one before it
        const cache = new StringCache(list.length % 2 ? 1 : 256);
        // each string twice, so that a wrong hit of the first pass would show in the second
        for (const arr of [...list, ...list]) {
          const b = Buffer.from(arr);
          assert.equal(cache.get(b, 0, b.length), b.toString('utf8'));
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("a cached 'é' (C3 A9) is not returned for the lone byte E9", () => {
    const cache = new StringCache(1);
    assert.equal(cache.get(Buffer.from('é'), 0, 2), 'é');
    assert.equal(cache.get(Buffer.from([0xe9]), 0, 1), '\ufffd');
    assert.equal(cache.get(Buffer.from('tags'), 0, 4), 'tags');
    assert.equal(cache.get(Buffer.from('tags'), 0, 4), 'tags');
  });
});
