// Gateway vs nginx benchmark (issue 4: the gateway with its full edge chain
// serves ≥ 0.5× the requests per second of nginx proxy_pass to the same
// upstream). One run, loopback only, stops by itself:
//   1. a plain node:http upstream in its own process (bench-upstream.ts);
//   2. Debian's nginx with a temporary config (keep-alive upstream pool,
//      BENCH_WORKERS worker processes) on a free loopback port;
//   3. the built gateway (apps/gateway/dist, plain node, as production runs
//      it, GATEWAY_WORKERS = BENCH_WORKERS processes) with its whole chain: host allowlist, WAF, CORS and helmet, rate
//      limits in Redis (a budget too large to refuse anything, so every
//      request still costs its Redis round trip), auth, the undici proxy;
//   4. autocannon against each, alternating, the same GET of a public route.
// Needs Redis (6379), NATS (4222) and `pnpm turbo run build --filter @bursary/gateway-service...`.
// `pnpm --filter @bursary/bench run bench:gateway` (BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS,
// BENCH_WORKERS: processes of each proxy, default one per core as nginx's
// `auto` and a production gateway run; BENCH_WORKERS=1 compares one process with one;
// BENCH_PROFILE=<dir> writes the gateway's V8 CPU profile there when it stops).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, waitFor } from '@bursary/testing';
import { GATEWAY_NODE_FLAGS } from './gateway-node-flags.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? availableParallelism());
const HOST = 'api.bursary.example';
const PATH = '/v1/scholarships?page=1&limit=20&sort=-deadline';
const HEADERS = {
  host: HOST,
  'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  accept: 'application/json, text/plain, */*',
  'accept-language': 'en-US,en;q=0.9',
};

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const gatewayEntry = join(repoRoot, 'apps/gateway/dist/server.js');
const work = mkdtempSync(join(tmpdir(), 'bursary-bench-'));
const children: ChildProcess[] = [];

function stopAll(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** Starts a child that dies with this process; stdout is discarded unless `readStdout` (an unread pipe would block its writer). */
function start(command: string, args: string[], env: Record<string, string> = {}, readStdout = false): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', readStdout ? 'pipe' : 'ignore', 'pipe'] });
  children.push(child);
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${command}] ${chunk.toString()}`));
  return child;
}

async function ok(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { headers: { host: HOST } })).ok;
  } catch {
    return false;
  }
}

async function startUpstream(): Promise<Target> {
  const child = start(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./bench-upstream.ts', import.meta.url))], {}, true);
  const port = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { url: `http://127.0.0.1:${port}`, pids: [child.pid!] };
}

async function startNginx(upstream: string): Promise<Target> {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
  if (nginx === undefined) throw new Error('nginx is missing: apt-get update && apt-get install -y nginx (Debian\'s package)');
  const port = await freePort();
  const config = join(work, 'nginx.conf');
  writeFileSync(
    config,
    `worker_processes ${WORKERS};
pid ${work}/nginx.pid;
error_log ${work}/nginx-error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log ${work}/nginx-access.log;
  client_body_temp_path ${work}/client-body;
  proxy_temp_path ${work}/proxy;
  upstream app { server ${new URL(upstream).host}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`,
  );
  const master = start(nginx, ['-e', `${work}/nginx-error.log`, '-p', work, '-c', config]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(() => ok(`${url}/v1/scholarships`), { what: 'nginx to listen', timeoutMs: 10_000 });
  return { url, pids: processTree(master.pid!) };
}

let gatewayProcess: ChildProcess | undefined;

async function startGateway(upstream: string): Promise<Target> {
  if (!existsSync(gatewayEntry)) throw new Error(`${gatewayEntry} is missing: pnpm turbo run build --filter @bursary/gateway-service...`);
  const [port, metricsPort] = [await freePort(), await freePort()];
  const profile = process.env['BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`] : [];
  const child = start(process.execPath, [...profile, ...GATEWAY_NODE_FLAGS, gatewayEntry], {
    APP_ENV: 'development',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    ALLOWED_HOSTS: HOST,
    UPSTREAM_ACCOUNTS_URL: upstream,
    UPSTREAM_CATALOG_URL: upstream,
    UPSTREAM_PAYMENTS_URL: upstream,
    UPSTREAM_WEBHOOKS_URL: upstream,
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `bench:${randomBytes(4).toString('hex')}:`,
    NATS_URL: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
    RUNTIME_BUCKET: 'runtime_test',
    RATE_LIMIT_READ_MAX: '1000000',
    GATEWAY_WORKERS: String(WORKERS),
  });
  gatewayProcess = child;
  const url = `http://127.0.0.1:${port}`;
  await waitFor(() => ok(`${url}/readyz`), { what: 'the gateway to be ready', timeoutMs: 20_000 });
  return { url, pids: processTree(child.pid!) };
}

/** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux) from /proc/<pid>/stat. */
function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** A process and its children (nginx: the master and its workers). */
function processTree(pid: number): number[] {
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [pid, ...children];
}

interface Target {
  url: string;
  /** The processes whose CPU time is the proxy's. */
  pids: number[];
}

interface Run {
  okPerSecond: number;
  /** CPU milliseconds the proxy's processes spent per successful request. */
  cpuMsPerRequest: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
}

async function load(target: Target, seconds: number): Promise<Run> {
  const before = target.pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
  const result = await autocannon({ url: `${target.url}${PATH}`, headers: HEADERS, connections: CONNECTIONS, duration: seconds });
  const ticks = target.pids.reduce((sum, pid) => sum + cpuTicks(pid), 0) - before;
  const ok = result['2xx'];
  return { okPerSecond: ok / seconds, cpuMsPerRequest: (ticks * 10) / Math.max(1, ok), non2xx: result.non2xx, errors: result.errors + result.timeouts, p50: result.latency.p50, p99: result.latency.p99 };
}

function line(label: string, runs: Run[]): string {
  const mean = (pick: (run: Run) => number) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  const each = runs.map((run) => Math.round(run.okPerSecond)).join(', ');
  return `${label.padEnd(30)} ${String(Math.round(mean((r) => r.okPerSecond))).padStart(6)} req/s (runs: ${each})   p50 ${mean((r) => r.p50).toFixed(1)} ms   p99 ${mean((r) => r.p99).toFixed(1)} ms   CPU ${mean((r) => r.cpuMsPerRequest).toFixed(3)} ms/req   non-2xx ${runs.reduce((s, r) => s + r.non2xx, 0)}   errors ${runs.reduce((s, r) => s + r.errors, 0)}`;
}

const version = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim();
const upstream = await startUpstream();
const nginx = await startNginx(upstream.url);
const gateway = await startGateway(upstream.url);
console.log(`Proxy benchmark: ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}, node ${process.version}, ${version}`);
console.log(`${WORKERS} worker process(es) each for nginx and the gateway (BENCH_WORKERS)`);
console.log(`GET ${PATH} (Host ${HOST}), ${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} alternating rounds after a 2 s warm-up each`);

for (const url of [upstream, nginx, gateway]) await load(url, 2);
const direct = [await load(upstream, SECONDS)];
const nginxRuns: Run[] = [];
const gatewayRuns: Run[] = [];
for (let round = 0; round < ROUNDS; round++) {
  nginxRuns.push(await load(nginx, SECONDS));
  gatewayRuns.push(await load(gateway, SECONDS));
}
console.log(line('upstream direct (reference)', direct));
console.log(line('nginx proxy_pass', nginxRuns));
console.log(line('gateway, full edge chain', gatewayRuns));
const sum = (runs: Run[], pick: (run: Run) => number) => runs.reduce((total, run) => total + pick(run), 0);
const ratio = sum(gatewayRuns, (r) => r.okPerSecond) / sum(nginxRuns, (r) => r.okPerSecond);
console.log(`ratio gateway / nginx: ${ratio.toFixed(2)} req/s (target ≥ 0.5); load average after ${loadavg()[0]!.toFixed(2)}`);
// On a machine shared with other work, wall-clock throughput also measures
// how often each process gets a core; CPU per request does not.
const cpuRatio = sum(nginxRuns, (r) => r.cpuMsPerRequest) / sum(gatewayRuns, (r) => r.cpuMsPerRequest);
console.log(`ratio by CPU per request (nginx CPU / gateway CPU): ${cpuRatio.toFixed(2)}`);
if (process.env['BENCH_PROFILE']) {
  // A CPU profile is written when the process ends, after its graceful shutdown.
  gatewayProcess!.kill('SIGTERM');
  await new Promise((resolve) => gatewayProcess!.once('exit', resolve));
}
process.exit(0);
