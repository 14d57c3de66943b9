export interface BackoffOptions {
  /** First delay in milliseconds. */
  baseMs?: number;
  /** Largest delay in milliseconds. */
  capMs?: number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half is
 * random, so many relays that failed together do not retry in lockstep and
 * none retries in a tight loop.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? 200;
  const cap = options.capMs ?? 30_000;
  const exponential = Math.min(cap, base * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** Resolves after `ms` or as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
