import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface LoadResult {
  sent: number;
  seconds: number;
  latenciesMs: number[];
  /** Non-2xx statuses and transport errors, by status or error code. */
  errors: Record<string, number>;
}

export interface LoadOptions {
  origin: string;
  ratePerSecond: number;
  seconds: number;
  connections: number;
  path: (index: number) => string;
  headers?: Record<string, string>;
}

/**
 * An open-loop load generator: request i is due at start + i/rate whatever
 * happened to the ones before, and its latency is measured from when it was
 * due, so a stall shows up in the percentiles instead of silently lowering
 * the rate (no coordinated omission).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const total = Math.round(options.ratePerSecond * options.seconds);
  const latenciesMs: number[] = [];
  const errors: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const interval = 1000 / options.ratePerSecond;

  const fire = (index: number, due: number) => {
    const request = pool
      .request({ method: 'GET', path: options.path(index), headers: options.headers })
      .then(async (response) => {
        await response.body.dump();
        latenciesMs.push(performance.now() - due);
        if (response.statusCode >= 400) errors[response.statusCode] = (errors[response.statusCode] ?? 0) + 1;
      })
      .catch((error: { code?: string }) => {
        latenciesMs.push(performance.now() - due);
        const code = error.code ?? 'ERROR';
        errors[code] = (errors[code] ?? 0) + 1;
      });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  };

  for (let index = 0; index < total; index++) {
    const due = start + index * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    fire(index, due);
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  return { sent: total, seconds, latenciesMs, errors };
}
