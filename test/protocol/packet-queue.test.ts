import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbortError, ClosedError, ErrorCode } from '../../src/errors.js';
import { PacketQueue } from '../../src/protocol/packet-queue.js';

function queue(hwm = 10): { q: PacketQueue; flow: string[] } {
  const flow: string[] = [];
  return {
    q: new PacketQueue(hwm, { pause: () => flow.push('pause'), resume: () => flow.push('resume') }),
    flow,
  };
}

test('FIFO, straight to a waiting reader when there is one', async () => {
  const { q } = queue();
  const waiting = q.read();
  q.push(Buffer.from('a'));
  q.push(Buffer.from('b'));
  assert.deepEqual(await waiting, Buffer.from('a'));
  assert.equal(q.bytes, 1);
  assert.deepEqual(await q.read(), Buffer.from('b'));
  assert.equal(q.length, 0);
});

test('pauses above the high-water mark, resumes at half of it', async () => {
  const { q, flow } = queue(10);
  for (let i = 0; i < 6; i++) q.push(Buffer.alloc(2));
  assert.deepEqual(flow, ['pause']);
  assert.equal(q.paused, true);
  await q.read(); // 10 bytes left
  await q.read(); // 8
  assert.deepEqual(flow, ['pause']);
  await q.read(); // 6
  await q.read(); // 4: at or below half
  assert.deepEqual(flow, ['pause', 'resume']);
  assert.equal(q.paused, false);
});

test('after a failure: the queued payloads first, then the error', async () => {
  const { q } = queue();
  q.push(Buffer.from('err packet'));
  const err = new ClosedError('gone');
  q.fail(err, false);
  q.push(Buffer.from('ignored'));
  assert.deepEqual(await q.read(), Buffer.from('err packet'));
  await assert.rejects(q.read(), (e) => e === err);
});

test('a local failure drops what is queued and rejects waiting readers', async () => {
  const { q } = queue();
  const waiting = q.read();
  const err = new ClosedError('closed');
  q.fail(err, true);
  await assert.rejects(waiting, (e) => e === err);
  const { q: q2 } = queue();
  q2.push(Buffer.from('x'));
  q2.fail(err, true);
  assert.equal(q2.bytes, 0);
  await assert.rejects(q2.read(), (e) => e === err);
});

test('an aborted read rejects with AbortError and loses nothing', async () => {
  const { q } = queue();
  const ac = new AbortController();
  const r = q.read(ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(
    r,
    (e) =>
      e instanceof AbortError && e.code === ErrorCode.ERR_ABORTED && (e.cause as Error).message === 'stop',
  );
  q.push(Buffer.from('kept'));
  assert.deepEqual(await q.read(), Buffer.from('kept'));
  await assert.rejects(q.read(ac.signal), AbortError);
});

test('peekLast: the payload queued last, left in the queue; undefined when none is queued', async () => {
  const { q } = queue();
  assert.equal(q.peekLast(), undefined);
  q.push(Buffer.from('a'));
  q.push(Buffer.from('bc'));
  assert.deepEqual(q.peekLast(), Buffer.from('bc'));
  assert.equal(q.length, 2);
  assert.equal(q.bytes, 3);
  assert.deepEqual(await q.read(), Buffer.from('a'));
  assert.deepEqual(q.peekLast(), Buffer.from('bc'));
  assert.deepEqual(await q.read(), Buffer.from('bc'));
  assert.equal(q.peekLast(), undefined);
});
