import { backoffDelay, retryWithBackoff } from '@bursary/db';
import { describe, expect, it } from 'vitest';

/** A `random` that replays the given values in a loop. */
const sequence = (...values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
};

describe('retryWithBackoff (R-DB-2)', () => {
  it('R-DB-2: the delay ceiling doubles per retry and is capped at maxMs', () => {
    const almostOne = () => 0.999_999;
    const delays = Array.from({ length: 8 }, (_, retry) => backoffDelay(retry, { baseMs: 100, maxMs: 1000 }, almostOne));
    expect(delays).toEqual([99, 199, 399, 799, 999, 999, 999, 999]);
    // Huge retry counts do not overflow into NaN or Infinity.
    expect(backoffDelay(10_000, { baseMs: 100, maxMs: 1000 }, almostOne)).toBe(999);
  });

  it('R-DB-2: full jitter spreads the delay over the whole [0, ceiling) interval', () => {
    const random = sequence(0, 0.25, 0.5, 0.75, 0.999_999);
    const delays = Array.from({ length: 5 }, () => backoffDelay(3, { baseMs: 100, maxMs: 10_000 }, random));
    expect(delays).toEqual([0, 200, 400, 600, 799]);
  });

  it('R-DB-2: retries until success, reporting each wait', async () => {
    const waits: Array<{ attempt: number; delayMs: number }> = [];
    let calls = 0;
    const result = await retryWithBackoff(
      async (attempt) => {
        calls++;
        if (attempt < 3) throw new Error(`refused ${attempt}`);
        return 'connected';
      },
      { baseMs: 4, maxMs: 1000, random: () => 0.5, onRetry: (_error, attempt, delayMs) => waits.push({ attempt, delayMs }) },
    );
    expect(result).toBe('connected');
    expect(calls).toBe(3);
    expect(waits).toEqual([
      { attempt: 1, delayMs: 2 },
      { attempt: 2, delayMs: 4 },
    ]);
  });

  it('R-DB-2: gives up after maxAttempts with the last error', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async (attempt) => {
          calls++;
          throw new Error(`refused ${attempt}`);
        },
        { baseMs: 1, maxMs: 2, maxAttempts: 4, random: () => 0 },
      ),
    ).rejects.toThrow('refused 4');
    expect(calls).toBe(4);
  });

  it('R-DB-2: stops at the deadline, shortening the last wait to end there', async () => {
    const started = Date.now();
    const waits: number[] = [];
    await expect(
      retryWithBackoff(
        async () => {
          throw new Error('still down');
        },
        { baseMs: 1000, maxMs: 10_000, deadline: started + 150, random: () => 0.999, onRetry: (_error, _attempt, delayMs) => waits.push(delayMs) },
      ),
    ).rejects.toThrow('still down');
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...waits)).toBeLessThanOrEqual(150);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('R-DB-2: errors that retrying cannot fix are thrown at once', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw Object.assign(new Error('certificate signed by an unknown CA'), { permanent: true });
        },
        { baseMs: 1, maxMs: 1, shouldRetry: (error) => !(error as { permanent?: boolean }).permanent },
      ),
    ).rejects.toThrow('unknown CA');
    expect(calls).toBe(1);
  });

  it('R-DB-2: aborting ends the wait at once', async () => {
    const controller = new AbortController();
    const pending = retryWithBackoff(
      async () => {
        throw new Error('down');
      },
      { baseMs: 60_000, maxMs: 60_000, random: () => 0.999, signal: controller.signal, onRetry: () => controller.abort(new Error('closing')) },
    );
    await expect(pending).rejects.toThrow('closing');
  });
});
