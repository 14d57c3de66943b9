// Outbox → JetStream benchmark (R-EVT-1): the throughput the relay sustains
// and the commit-to-publish latency at a steady 500 events/s. Runs against
// the local Postgres (5432) and NATS (4222) in a database and stream of its
// own, removed at the end. `pnpm --filter @bursary/bench run bench:outbox`.
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createEvent, enqueue, inboxTable, OutboxRelay, outboxTable, UserSignedUp } from '@bursary/events';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { drizzle } from 'drizzle-orm/postgres-js';
import { pgSchema } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { summarize } from './stats.js';

const PG_ADMIN_URL = process.env['BENCH_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const RATE = Number(process.env['BENCH_RATE'] ?? 500);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const BURST = Number(process.env['BENCH_BURST'] ?? 20_000);

const suffix = randomBytes(4).toString('hex');
const loadBefore = loadavg()[0]!;
const database = `bench_outbox_${suffix}`;
const stream = { name: `BENCH_${suffix}`, subjectPrefix: `bench_${suffix}.events` };

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => undefined });
await admin.unsafe(`create database "${database}"`);
const sql = postgres(withDatabase(PG_ADMIN_URL, database), { max: 12, onnotice: () => undefined });
const nc = await connect({ servers: NATS_URL, name: 'outbox-bench' });
let relay: OutboxRelay | undefined;

try {
  const schema = pgSchema('bench');
  const outbox = outboxTable(schema);
  const inbox = inboxTable(schema);
  for (const statement of await generateMigration(generateDrizzleJson({}), generateDrizzleJson({ schema, outbox, inbox }))) await sql.unsafe(statement);
  const db = drizzle(sql);

  // Publish time = arrival on a core subscription to the stream's subjects.
  const committedAt = new Map<string, number>();
  const latencies: number[] = [];
  let received = 0;
  let onReceive: (() => void) | undefined;
  nc.subscribe(`${stream.subjectPrefix}.>`, {
    callback: (_error, message) => {
      const now = performance.now();
      const id = message.headers?.get('Nats-Msg-Id');
      const committed = id ? committedAt.get(id) : undefined;
      if (committed !== undefined) latencies.push(now - committed);
      received++;
      onReceive?.();
    },
  });
  await nc.flush();

  const waitForReceived = (count: number, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received}/${count} events arrived within ${timeoutMs} ms`)), timeoutMs);
      onReceive = () => {
        if (received >= count) {
          clearTimeout(timer);
          onReceive = undefined;
          resolve();
        }
      };
      onReceive();
    });

  const newEvent = () => createEvent(UserSignedUp, { subject: randomUUID(), data: { userId: randomUUID() } });

  relay = new OutboxRelay({ sql, table: outbox, nats: nc, stream });
  relay.start();

  // Phase 1: steady RATE events/s, one transaction per event, for SECONDS.
  const total = RATE * SECONDS;
  const intervalMs = 1000 / RATE;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const event = newEvent();
    const commit = db
      .transaction((tx) => enqueue(tx, outbox, event))
      .then(() => void committedAt.set(event.id, performance.now()));
    inFlight.add(commit);
    void commit.finally(() => inFlight.delete(commit));
  }
  await Promise.all(inFlight);
  const producedIn = (performance.now() - started) / 1000;
  await waitForReceived(total, 30_000);
  const steady = summarize(latencies);

  // Phase 2: burst. BURST rows committed while the relay is stopped, then drained.
  await relay.stop();
  const burstEvents = Array.from({ length: BURST }, newEvent);
  for (let i = 0; i < burstEvents.length; i += 1_000) {
    await db.transaction(async (tx) => {
      for (const event of burstEvents.slice(i, i + 1_000)) await enqueue(tx, outbox, event);
    });
  }
  const drainStart = performance.now();
  relay = new OutboxRelay({ sql, table: outbox, nats: nc, stream });
  relay.start();
  await waitForReceived(total + BURST, 120_000);
  const drainSeconds = (performance.now() - drainStart) / 1000;
  await relay.stop(); // lets the last batch commit its published_at
  const [{ unpublished } = { unpublished: -1 }] = await sql.unsafe<{ unpublished: number }[]>(`select count(*)::int as unpublished from bench.outbox where published_at is null`);
  const info = await (await jetstream(nc).jetstreamManager()).streams.info(stream.name);

  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`outbox → JetStream (Postgres ${new URL(PG_ADMIN_URL).host}, NATS ${new URL(NATS_URL.replace('nats:', 'http:')).host}, relay batch 100, NOTIFY wake-up)`);
  console.log(`  steady load: ${total} events at ${RATE}/s (offered in ${producedIn.toFixed(1)} s, ${(total / producedIn).toFixed(0)}/s achieved)`);
  console.log(`    commit → publish latency: p50 ${fmt(steady.p50)}, p90 ${fmt(steady.p90)}, p99 ${fmt(steady.p99)}, max ${fmt(steady.max)}`);
  console.log(`  burst drain: ${BURST} committed events published in ${drainSeconds.toFixed(2)} s = ${(BURST / drainSeconds).toFixed(0)} events/s`);
  console.log(`  machine load average (1 min) before/after: ${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores`);
  console.log(`  stream ${stream.name}: ${info.state.messages} messages (expected ${total + BURST}); outbox rows unpublished: ${unpublished}`);
} finally {
  await relay?.stop();
  await (await jetstream(nc).jetstreamManager()).streams.delete(stream.name).catch(() => undefined);
  await nc.close();
  await sql.end({ timeout: 5 });
  await admin.unsafe(`drop database if exists "${database}" with (force)`);
  await admin.end();
}
