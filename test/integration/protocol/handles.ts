// Counts of live libuv handles and timers by type (process.getActiveResourcesInfo), to assert that a
// closed or failed connection leaves no socket or timer behind.
import assert from 'node:assert/strict';

const WATCHED = new Set(['TCPSocketWrap', 'TCPWRAP', 'PipeWrap', 'TLSWrap', 'Timeout']);

export type HandleCounts = Record<string, number>;

export function handleCounts(): HandleCounts {
  const counts: HandleCounts = {};
  for (const name of process.getActiveResourcesInfo()) {
    if (WATCHED.has(name)) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Asserts that no socket or timer was added since `before` (after letting pending closes settle). */
export async function assertNoNewHandles(before: HandleCounts, label = ''): Promise<void> {
  await new Promise((r) => setImmediate(r));
  const after = handleCounts();
  for (const name of WATCHED) {
    assert.ok(
      (after[name] ?? 0) <= (before[name] ?? 0),
      `${label} left ${name}: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
    );
  }
}
