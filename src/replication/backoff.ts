// Reconnect delays: exponential with a cap and full jitter (each delay uniform in [base/2, base]), so
// that many replicas cut off together do not reconnect in lock-step.

/** How a stream reconnects after a connection loss: exponential back-off with a cap and jitter. */
export interface ReconnectPolicy {
  /**
   * Attempts after a connection loss before giving up (0: never reconnect). They count until a connection
   * gets somewhere — delivers an event for the first time, receives a heartbeat, or lasts 60 s — so a fault
   * that cuts every connection at the same place of the replay ends the stream too.
   */
  maxAttempts: number;
  /** First delay, ms. */
  initialDelay: number;
  /** Largest delay, ms. */
  maxDelay: number;
  /** Each delay is the previous one times this. */
  factor: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = {
  maxAttempts: 10,
  initialDelay: 100,
  maxDelay: 10_000,
  factor: 2,
};

/** Delay before attempt `attempt` (1-based). `random` is injectable for tests. */
export function backoffDelay(
  policy: ReconnectPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxDelay, policy.initialDelay * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}
