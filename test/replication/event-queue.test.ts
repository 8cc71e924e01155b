import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventQueue } from '../../src/replication/event-queue.js';

function makeQueue(high = 100) {
  const log: string[] = [];
  const q = new EventQueue<number>({
    highWaterBytes: high,
    onPause: () => log.push('pause'),
    onResume: () => log.push('resume'),
    onReturn: () => {
      log.push('return');
    },
  });
  return { q, log };
}

test('pauses at the byte high-water mark and resumes below half of it', async () => {
  const { q, log } = makeQueue(100);
  for (let i = 0; i < 4; i++) q.push(i, 30); // 30, 60, 90, 120 → pause at the 4th
  assert.deepEqual(log, ['pause']);
  assert.equal(q.bufferedBytes, 120);
  assert.equal((await q.next()).value, 0); // 90 left
  assert.equal((await q.next()).value, 1); // 60 left: still above 50
  assert.deepEqual(log, ['pause']);
  assert.equal((await q.next()).value, 2); // 30 left → resume
  assert.deepEqual(log, ['pause', 'resume']);
});

test('a waiting consumer is handed the next item directly', async () => {
  const { q } = makeQueue();
  const p = q.next();
  q.push(7, 10);
  assert.deepEqual(await p, { value: 7, done: false });
  assert.equal(q.bufferedBytes, 0);
});

test('end and fail deliver queued items first', async () => {
  const { q } = makeQueue();
  q.push(1, 1);
  q.fail(new Error('boom'));
  q.push(2, 1); // ignored after the end
  assert.equal((await q.next()).value, 1);
  await assert.rejects(q.next(), /boom/);
  assert.equal((await q.next()).done, true);

  const { q: q2 } = makeQueue();
  const waiting = q2.next();
  q2.end();
  assert.equal((await waiting).done, true);
});

test('for-await break calls onReturn once', async () => {
  const { q, log } = makeQueue();
  q.push(1, 1);
  q.push(2, 1);
  for await (const v of q) {
    assert.equal(v, 1);
    break;
  }
  assert.deepEqual(log, ['return']);
  assert.equal((await q.next()).done, true);
});

test('many items: memory of taken slots is released (head compaction)', async () => {
  const { q } = makeQueue(1e12);
  for (let i = 0; i < 5000; i++) q.push(i, 1);
  let sum = 0;
  for (let i = 0; i < 5000; i++) sum += (await q.next()).value as number;
  assert.equal(sum, (4999 * 5000) / 2);
  assert.equal(q.length, 0);
});
