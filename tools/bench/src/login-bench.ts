// Login benchmark (R-ID-2): how many password logins per second this machine
// verifies with the argon2id parameters accounts uses, and whether an unknown
// email (verified against a dummy hash) costs what a wrong password does.
// `pnpm --filter @bursary/bench run bench:login`. Parameters come from the
// same variables as accounts (ARGON2_MEMORY_KIB, ARGON2_TIME_COST,
// ARGON2_PARALLELISM; defaults = accounts' defaults); BENCH_SECONDS and
// BENCH_CONCURRENCY shape the run.
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import argon2 from 'argon2';
import { summarize } from './stats.js';

const memoryCost = Number(process.env['ARGON2_MEMORY_KIB'] ?? 19_456);
const timeCost = Number(process.env['ARGON2_TIME_COST'] ?? 2);
const parallelism = Number(process.env['ARGON2_PARALLELISM'] ?? 1);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
// argon2 runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise): more in flight only queues.
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? process.env['UV_THREADPOOL_SIZE'] ?? 4);
const SAMPLES = Number(process.env['BENCH_TIMING_SAMPLES'] ?? 40);

const options = { type: argon2.argon2id, memoryCost, timeCost, parallelism } as const;
const password = `Bench-${randomBytes(6).toString('hex')}-Password!`;
const stored = await argon2.hash(password, options);
const dummy = await argon2.hash(randomBytes(16).toString('hex'), options);
const loadBefore = loadavg()[0]!;

// 1. Throughput: successful verifications (the CPU of a login) with CONCURRENCY in flight.
const latencies: number[] = [];
const deadline = performance.now() + SECONDS * 1000;
const started = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      if (!(await argon2.verify(stored, password))) throw new Error('verification failed');
      latencies.push(performance.now() - t);
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
const rate = latencies.length / elapsed;

// 2. Unknown email vs wrong password, interleaved so machine load hits both alike.
const unknown: number[] = [];
const wrong: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  let t = performance.now();
  await argon2.verify(dummy, `${password}?`);
  unknown.push(performance.now() - t);
  t = performance.now();
  await argon2.verify(stored, `${password}?`);
  wrong.push(performance.now() - t);
}
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const fmt = (value: number) => value.toFixed(1);
const s = summarize(latencies);
const u = summarize(unknown);
const w = summarize(wrong);

console.log(`argon2id m=${memoryCost} KiB t=${timeCost} p=${parallelism} · ${availableParallelism()} cores · load ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`);
console.log(`logins/s: ${rate.toFixed(1)} (${latencies.length} verifications in ${elapsed.toFixed(1)} s, ${CONCURRENCY} in flight)`);
console.log(`verify latency ms: p50 ${fmt(s.p50)} p90 ${fmt(s.p90)} p99 ${fmt(s.p99)} max ${fmt(s.max)}`);
console.log(`unknown email (dummy hash) ms: mean ${fmt(mean(unknown))} p50 ${fmt(u.p50)} p90 ${fmt(u.p90)}`);
console.log(`wrong password ms:             mean ${fmt(mean(wrong))} p50 ${fmt(w.p50)} p90 ${fmt(w.p90)}`);
console.log(`unknown/wrong mean ratio: ${(mean(unknown) / mean(wrong)).toFixed(3)}`);
