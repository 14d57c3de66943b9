import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffPolicy {
  /** The ceiling of the first retry's delay; it doubles per attempt. */
  baseMs: number;
  /** No delay is ever longer than this. */
  maxMs: number;
}

export interface RetryOptions extends BackoffPolicy {
  /** Total attempts, the first included. Unlimited when absent. */
  maxAttempts?: number;
  /** Epoch milliseconds after which no further attempt starts; the last wait is shortened to end there. */
  deadline?: number;
  /** Aborting stops the wait at once and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Errors for which this returns false are thrown at once (configuration mistakes, verification failures). */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** Called before each wait, e.g. to count retries or log. `attempt` is the number of the failed attempt (1-based). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Injected in tests to make the jitter deterministic. */
  random?: () => number;
}

/**
 * "Full jitter" (AWS Architecture Blog, "Exponential Backoff and Jitter"): a
 * uniform delay in [0, min(maxMs, baseMs · 2^retry)). Spreading the whole
 * interval keeps many instances that lost the database at the same moment from
 * reconnecting in lock-step when it returns (R-DB-2). `retry` counts from 0.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}

/**
 * Calls `fn` until it resolves, waiting a full-jitter backoff between attempts.
 * Gives up (rethrowing the last error) when `maxAttempts` is reached, when the
 * next attempt would start after `deadline`, or when `shouldRetry` says no.
 */
export async function retryWithBackoff<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (options.shouldRetry && !options.shouldRetry(error, attempt)) throw error;
      if (options.maxAttempts !== undefined && attempt >= options.maxAttempts) throw error;
      let delayMs = backoffDelay(attempt - 1, options, random);
      if (options.deadline !== undefined) {
        const remaining = options.deadline - Date.now();
        if (remaining <= 0) throw error;
        delayMs = Math.min(delayMs, remaining);
      }
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : undefined).catch(() => {
        throw options.signal?.reason ?? error;
      });
    }
  }
}
