import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, DEFAULT_RECONNECT } from '../../src/replication/backoff.js';

test('grows exponentially up to the cap, jittered within [base/2, base]', () => {
  const p = { ...DEFAULT_RECONNECT, initialDelay: 100, maxDelay: 1000, factor: 2 };
  assert.deepEqual(
    [1, 2, 3, 4, 5, 9].map((a) => backoffDelay(p, a, () => 1)),
    [100, 200, 400, 800, 1000, 1000],
  );
  assert.deepEqual(
    [1, 2, 5].map((a) => backoffDelay(p, a, () => 0)),
    [50, 100, 500],
  );
});
