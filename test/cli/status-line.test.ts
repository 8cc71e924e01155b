// tail's status line: the lag is shown only when the source's position is known (REPLICATION CLIENT /
// BINLOG MONITOR). Without it, caught up cannot be told from behind, so the age of the last event is
// shown as such — a user with REPLICATION SLAVE only saw "lag 36 s", then "lag 44 s", while caught up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusLine } from '../../src/cli/status-line.js';
import type { BinlogStream, StreamEvent } from '../../src/replication/stream.js';
import type { BinlogSyncer } from '../../src/replication/syncer.js';

const settle = () => new Promise((r) => setImmediate(r));

function line(position: () => Promise<{ file: string; pos: number }>): {
  status: StatusLine;
  shown: () => string;
} {
  let out = '';
  const stream = { resumePoint: { file: 'b.000001', pos: 500 } } as unknown as BinlogStream;
  const syncer = { sourcePosition: position } as unknown as BinlogSyncer;
  const status = new StatusLine({ write: (c: string) => ((out += c), true) }, stream, syncer, {
    sharesScreen: false,
    width: 0,
  });
  status.count({ type: 'xid', ts: Math.floor(Date.now() / 1000) - 40 } as unknown as StreamEvent);
  return { status, shown: () => out.slice(out.lastIndexOf('\x1b[K') + 3) };
}

/** The status line as drawn once the answer to its first ask for the source position has come. */
async function shownAfter(position: () => Promise<{ file: string; pos: number }>): Promise<string> {
  const { status, shown } = line(position);
  try {
    status.draw(); // asks; the answer comes after
    await settle();
    status.draw();
    return shown();
  } finally {
    status.stop();
  }
}

test('the source position refused: the last event age, said to be one, not a lag', async () => {
  const shown = await shownAfter(() => Promise.reject(new Error('Access denied; you need BINLOG MONITOR')));
  assert.match(shown, /at b\.000001:500 {2}last event 4\d s ago \(source position unknown\)$/);
  assert.doesNotMatch(shown, /lag/);
});

test('the source position known and reached: lag 0 s, 0 B, however old the last event', async () => {
  const shown = await shownAfter(() => Promise.resolve({ file: 'b.000001', pos: 500 }));
  assert.match(shown, /at b\.000001:500 {2}lag 0 s, 0 B$/);
});

test('the source position known and ahead: the last event age is the lag', async () => {
  const shown = await shownAfter(() => Promise.resolve({ file: 'b.000001', pos: 9000 }));
  assert.match(shown, /at b\.000001:500 {2}lag 4\d s, 8500 B$/);
});
