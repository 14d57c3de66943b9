// Idempotent purchases through the gateway vs pgbench TPC-B (issue 7: goal
// ≥ 0.25× pgbench's transactions per second), one run on one machine, both
// against the same throwaway Postgres cluster (Postgres's default durability,
// as production runs; BENCH_PG=fast for the test profile's fsync off),
// sequentially so they never share the cores:
//   1. pgbench -i -s 10, then the TPC-B-like script, 16 clients, per-transaction
//      log for p50/p99;
//   2. payments (apps/payments/dist, plain node) migrated into the same
//      cluster, the PSP simulator (tools/psp-simulator/dist) with its webhooks,
//      the gateway (AUTH_MODE=enforce, tokens signed here, rate limits too
//      large to refuse anything) in front;
//   3. autocannon POST /v1/purchases through the gateway, a new
//      Idempotency-Key per request (every request is a real purchase: key
//      claim, purchase row, PSP charge, ledger posting, outbox events, stored
//      response), then the same with replays of one key.
// Needs Redis, NATS and `pnpm turbo run build --filter @bursary/payments-service... --filter @bursary/gateway-service... --filter @bursary/psp-simulator`.
// `pnpm --filter @bursary/bench run bench:purchases` (BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_PGBENCH_CLIENTS,
// BENCH_PROFILE=<dir> for V8 CPU profiles). Besides the wall-clock rates it prints CPU milliseconds per operation
// of every process involved: on a machine shared with other work that is the figure that does not depend on
// how often each process got a core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, startThrowawayPostgres, waitFor } from '@bursary/testing';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { nodeFlagsFor } from './gateway-node-flags.js';
import { cpuMillis, postmasterOf, withDescendants } from './proc-stat.js';
import { percentile } from './stats.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 15);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const PGBENCH_CLIENTS = Number(process.env['BENCH_PGBENCH_CLIENTS'] ?? 16);
const USERS = 200;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const entry = (path: string) => {
  const file = join(repoRoot, path);
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (see the header of this file)`);
  return file;
};
const work = mkdtempSync(join(tmpdir(), 'bursary-purchase-bench-'));
const children: ChildProcess[] = [];
const suffix = randomBytes(4).toString('hex');
// BENCH_PG=durable (the default): Postgres's own durability settings, as
// production runs; BENCH_PG=fast: the test profile (fsync and
// synchronous_commit off), which measures CPU alone.
const DURABLE = (process.env['BENCH_PG'] ?? 'durable') !== 'fast';
const pg = await startThrowawayPostgres({ durable: DURABLE });

function cleanUp(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  pg.destroy();
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

function start(script: string, env: Record<string, string>, args: string[] = []): ChildProcess {
  // BENCH_PROFILE=<dir>: V8 CPU profiles of the platform's processes, written when they stop.
  const profile = process.env['BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`] : [];
  const child = spawn(process.execPath, [...profile, ...nodeFlagsFor(script), entry(script), ...args], { env: { ...process.env, APP_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${script}] ${chunk.toString()}`));
  children.push(child);
  return child;
}

async function ready(url: string): Promise<void> {
  await waitFor(async () => (await fetch(url).catch(() => undefined))?.ok, { what: url, timeoutMs: 30_000 });
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, PGHOST: '127.0.0.1', PGPORT: String(pg.port), PGUSER: 'postgres' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/**
 * Transactions committed in the whole cluster so far (every backend: the
 * services, their relays and workers). Backends publish their counts to the
 * statistics at most once a second, so callers wait that long first.
 */
async function clusterCommits(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  return Number(run('psql', ['-d', 'postgres', '-Atc', 'select sum(xact_commit) from pg_stat_database']).trim());
}

// ------------------------------------------------------------------ pgbench
/** CPU of the Postgres cluster (every backend, live or reaped) plus `pids`. */
const clusterCpu = (pids: number[] = []) => cpuMillis([...withDescendants(postmasterOf(pg.port)), ...pids]);

function pgbench(): { tps: number; p50: number; p99: number; cpuMsPerTx: number } {
  run('psql', ['-d', 'postgres', '-qc', 'create database pgbench']);
  run('pgbench', ['-i', '-q', '-s', '10', 'pgbench']);
  // pgbench runs as a reaped child of this process: its CPU shows in our own cutime/cstime.
  const before = clusterCpu([process.pid]);
  const output = run('pgbench', ['-c', String(PGBENCH_CLIENTS), '-j', '2', '-T', String(SECONDS), '-l', '--log-prefix', join(work, 'pgbench'), 'pgbench']);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1]);
  const latencies: number[] = [];
  for (const file of readdirSync(work).filter((name) => name.startsWith('pgbench.'))) {
    for (const line of readFileSync(join(work, file), 'utf8').split('\n')) {
      const micros = Number(line.split(' ')[2]);
      if (Number.isFinite(micros) && line !== '') latencies.push(micros / 1000);
    }
  }
  const cpuMs = clusterCpu([process.pid]) - before;
  return { tps, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuMsPerTx: cpuMs / latencies.length };
}

// ---------------------------------------------------------------- purchases
/** The processes of the platform under test (and this load generator), for CPU accounting. */
const platformPids: number[] = [];
const platformGroups: Record<string, number[]> = {};

async function startPlatform(): Promise<{ gateway: string; payments: string; tokens: string[]; pids: number[] }> {
  const adminUrl = `postgres://postgres@127.0.0.1:${pg.port}/bursary`;
  const serviceUrl = `postgres://bursary_payments:bench_pw@127.0.0.1:${pg.port}/bursary`;
  const migrate = spawnSync(process.execPath, [entry('apps/payments/dist/migrate.js')], {
    env: { ...process.env, DATABASE_ADMIN_URL: adminUrl, DATABASE_URL: serviceUrl, DATABASE_TLS: 'disable' },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrate payments: ${migrate.stderr}`);

  const simPort = await freePort();
  start('tools/psp-simulator/dist/server.js', { PORT: String(simPort) });
  await ready(`http://127.0.0.1:${simPort}/healthz`);
  const apiKey = `sk_test_bench_${suffix}`;
  const [paymentsPort, gatewayPort] = [await freePort(), await freePort()];
  // The webhook endpoint as production configures it at Stripe (README, payments): only the events
  // payments acts on, each verified, deduplicated and applied. Its secret is the endpoint's own.
  const endpoint = await fetch(`http://127.0.0.1:${simPort}/v1/webhook_endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([
      ['url', `http://127.0.0.1:${paymentsPort}/v1/psp/webhooks`] as [string, string],
      ...['payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.canceled', 'refund.created', 'refund.updated', 'refund.failed'].map((type): [string, string] => ['enabled_events[]', type]),
    ]),
  });
  const { secret } = (await endpoint.json()) as { secret: string };
  const shared = {
    NATS_URL: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    RUNTIME_BUCKET: `runtime_bench_${suffix}`,
    EVENTS_STREAM: `EVENTS_BENCH_${suffix}`,
    EVENTS_SUBJECT_PREFIX: `bench-${suffix}`,
    REDIS_KEY_PREFIX: `bench:${suffix}:`,
  };
  start('apps/payments/dist/server.js', {
    ...shared,
    PORT: String(paymentsPort),
    METRICS_PORT: String(await freePort()),
    DATABASE_URL: serviceUrl,
    DATABASE_TLS: 'disable',
    DATABASE_POOL_MAX: '20',
    PSP_API_KEY: apiKey,
    PSP_HOST: '127.0.0.1',
    PSP_PORT: String(simPort),
    PSP_PROTOCOL: 'http',
    PSP_WEBHOOK_SECRETS: secret,
  });
  await ready(`http://127.0.0.1:${paymentsPort}/readyz`);

  const keys = await generateKeyPair('EdDSA', { extractable: true });
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'bench', alg: 'EdDSA', use: 'sig' };
  const jwks = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwks.unref();
  const nowhere = 'http://127.0.0.1:9';
  start('apps/gateway/dist/server.js', {
    ...shared,
    PORT: String(gatewayPort),
    METRICS_PORT: String(await freePort()),
    UPSTREAM_PAYMENTS_URL: `http://127.0.0.1:${paymentsPort}`,
    UPSTREAM_ACCOUNTS_URL: nowhere,
    UPSTREAM_CATALOG_URL: nowhere,
    UPSTREAM_WEBHOOKS_URL: nowhere,
    AUTH_MODE: 'enforce',
    AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
    RATE_LIMIT_WRITE_MAX: '1000000',
    RATE_LIMIT_READ_MAX: '1000000',
  });
  const gateway = `http://127.0.0.1:${gatewayPort}`;
  await ready(`${gateway}/readyz`);
  const now = Math.floor(Date.now() / 1000);
  const tokens = await Promise.all(
    Array.from({ length: USERS }, () =>
      new SignJWT({ roles: [] })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'bench', typ: 'at+jwt' })
        .setIssuer('urn:bursary:accounts')
        .setAudience('urn:bursary:api')
        .setSubject(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(keys.privateKey),
    ),
  );
  const [simulator, paymentsProcess, gatewayProcess] = children;
  Object.assign(platformGroups, { gateway: [gatewayProcess!.pid!], payments: [paymentsProcess!.pid!], simulator: [simulator!.pid!], postgres: [], 'load generator': [process.pid] });
  return { gateway, payments: `http://127.0.0.1:${paymentsPort}`, tokens, pids: children.map((child) => child.pid!) };
}

interface LoadResult {
  perSecond: number;
  /** CPU of every process involved (gateway, payments, simulator, Postgres, the load generator) per successful answer. */
  cpuMsPerRequest: number;
  /** The same, per process. */
  cpuBreakdown: string;
  /** Postgres transactions committed per successful answer (TPC-B: one). */
  commitsPerRequest: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** Through the gateway with tokens, or straight to payments (`direct`) with the identity headers the gateway would set. */
async function purchases(target: string, tokens: string[], seconds: number, options: { replayKey?: string; direct?: boolean } = {}): Promise<LoadResult> {
  const { replayKey, direct } = options;
  const commitsBefore = await clusterCommits();
  const before = clusterCpu(platformPids);
  const groups = Object.entries(platformGroups).map(([name, pids]) => [name, pids, name === 'postgres' ? clusterCpu() : cpuMillis(pids)] as const);
  const users = tokens.map(() => randomUUID());
  let next = 0;
  const result = await autocannon({
    url: `${target}/v1/purchases`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const index = replayKey ? 0 : next++ % tokens.length;
          return {
            ...request,
            headers: {
              ...request.headers,
              ...(direct ? { 'x-bursary-user-id': users[index]!, 'x-bursary-roles': '' } : { authorization: `Bearer ${tokens[index]!}` }),
              'idempotency-key': replayKey ?? randomUUID(),
              'content-type': 'application/json',
            },
            body: '{"packageId":"starter"}',
          };
        },
      },
    ],
  });
  const cpuMs = clusterCpu(platformPids) - before;
  const answers = Math.max(1, result['2xx']);
  const cpuBreakdown = groups.map(([name, pids, start]) => `${name} ${(((name === 'postgres' ? clusterCpu() : cpuMillis(pids)) - start) / answers).toFixed(1)}`).join(', ');
  const commitsPerRequest = ((await clusterCommits()) - commitsBefore) / answers;
  return { commitsPerRequest, perSecond: result['2xx'] / seconds, cpuMsPerRequest: cpuMs / answers, cpuBreakdown, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

console.log(`Purchase benchmark: ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}, node ${process.version}, ${run('pgbench', ['--version']).trim()}`);
console.log(DURABLE ? 'Postgres: durable (fsync, synchronous_commit, full_page_writes on: production settings)' : 'Postgres: fast (fsync, synchronous_commit, full_page_writes off: the test profile, CPU only)');
const tpcb = pgbench();
console.log(`pgbench TPC-B (scale 10, ${PGBENCH_CLIENTS} clients, ${SECONDS} s):  ${tpcb.tps.toFixed(0)} tps   p50 ${tpcb.p50.toFixed(2)} ms   p99 ${tpcb.p99.toFixed(2)} ms   CPU ${tpcb.cpuMsPerTx.toFixed(2)} ms/tx`);

const { gateway, payments, tokens, pids } = await startPlatform();
platformPids.push(...pids, process.pid);
await purchases(gateway, tokens, 3); // warm-up: JIT, pools, the JWKS cache
const fresh = await purchases(gateway, tokens, SECONDS);
console.log(
  `purchases through the gateway (${CONNECTIONS} connections, new key each): ${fresh.perSecond.toFixed(0)} purchases/s   p50 ${fresh.p50.toFixed(1)} ms   p99 ${fresh.p99.toFixed(1)} ms   CPU ${fresh.cpuMsPerRequest.toFixed(2)} ms/purchase (${fresh.cpuBreakdown})   ${fresh.commitsPerRequest.toFixed(1)} Postgres commits/purchase   non-2xx ${fresh.non2xx}   errors ${fresh.errors}`,
);
const short = Math.max(3, Math.round(SECONDS / 3));
const replays = await purchases(gateway, tokens, short, { replayKey: randomUUID() });
console.log(`replays of one key through the gateway: ${replays.perSecond.toFixed(0)} answers/s   p50 ${replays.p50.toFixed(1)} ms   p99 ${replays.p99.toFixed(1)} ms   CPU ${replays.cpuMsPerRequest.toFixed(2)} ms/answer (${replays.cpuBreakdown})`);
const direct = await purchases(payments, tokens, short, { direct: true });
console.log(`purchases straight to payments (reference, no gateway): ${direct.perSecond.toFixed(0)} purchases/s   p50 ${direct.p50.toFixed(1)} ms   p99 ${direct.p99.toFixed(1)} ms   CPU ${direct.cpuMsPerRequest.toFixed(2)} ms/purchase (${direct.cpuBreakdown})`);
const ratio = fresh.perSecond / tpcb.tps;
console.log(`ratio purchases/s ÷ pgbench tps: ${ratio.toFixed(2)} (goal ≥ 0.25); load average after ${loadavg()[0]!.toFixed(2)}`);
// On a machine shared with other work, wall-clock rates also measure how often each process got a core; CPU per operation does not.
console.log(`ratio by CPU per operation (pgbench CPU/tx ÷ purchase CPU/purchase): ${(tpcb.cpuMsPerTx / fresh.cpuMsPerRequest).toFixed(2)}`);
process.exit(0);
