import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@bursary/testing';
import postgres from 'postgres';
import { nodeFlagsFor } from '../gateway-node-flags.js';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/** The service role password the test and dev set-ups give bursary_catalog (roles are cluster-wide: never change it). */
const CATALOG_PASSWORD = 'dev_catalog_pw';

export interface BenchProcess {
  url: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

function entry(path: string): string {
  const file = `${REPO}${path}`;
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (pnpm turbo run build --filter @bursary/catalog-service... --filter @bursary/gateway-service... --filter @bursary/seed...)`);
  return file;
}

function withDatabase(url: string, database: string, user?: string, password?: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (user) parsed.username = user;
  if (password) parsed.password = password;
  return parsed.toString();
}

async function run(file: string, args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, [file, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`${file} exited ${code}`);
}

/**
 * A database of its own with `count` seeded scholarships, migrated by the
 * catalog's own migrate command and seeded by tools/seed; kept between runs
 * (seeding 100,000 listings takes a minute) and reseeded when the count differs.
 */
export async function prepareDatabase(adminUrl: string, database: string, count: number): Promise<string> {
  const serviceUrl = withDatabase(adminUrl, database, 'bursary_catalog', CATALOG_PASSWORD);
  const env = { DATABASE_ADMIN_URL: withDatabase(adminUrl, database), DATABASE_URL: serviceUrl, DATABASE_TLS: 'disable', APP_ENV: 'development' };
  await run(entry('apps/catalog/dist/migrate.js'), [], env);
  const admin = postgres(withDatabase(adminUrl, database), { max: 1, onnotice: () => undefined });
  try {
    const [row] = await admin<Array<{ n: number }>>`select count(*)::int as n from catalog.scholarships where provider_org_id like 'seed-%'`;
    if (row?.n !== count) {
      await run(entry('tools/seed/dist/seed.js'), ['--scholarships', String(count)], { SEED_CATALOG_DATABASE_URL: serviceUrl, DATABASE_TLS: 'disable' });
    }
    // Fresh statistics and visibility map, as autovacuum would leave them in production.
    await admin`vacuum analyze catalog.scholarships`;
  } finally {
    await admin.end();
  }
  return serviceUrl;
}

/** Published ids to ask for, spread over the table. */
export async function sampleIds(serviceUrl: string, count: number): Promise<string[]> {
  const sql = postgres(serviceUrl, { max: 1, onnotice: () => undefined });
  try {
    const rows = await sql<Array<{ id: string }>>`select id from catalog.scholarships tablesample system (5) where status = 'published' limit ${count}`;
    return rows.map((row) => row.id);
  } finally {
    await sql.end();
  }
}

/** A built service as production runs it (`node dist/server.js`, with the gateway's flags) on free ports; its logs go nowhere. */
export async function startService(name: 'catalog' | 'gateway', env: Record<string, string>): Promise<BenchProcess> {
  const port = await freePort();
  const metricsPort = await freePort();
  const script = `apps/${name}/dist/server.js`;
  const child: ChildProcess = spawn(process.execPath, [...nodeFlagsFor(script), entry(script)], {
    env: { ...process.env, APP_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), METRICS_PORT: String(metricsPort), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/readyz`)).ok, { what: `${name} /readyz`, timeoutMs: 30_000 });
  return {
    url,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A counter's total from a Prometheus text page (summed over labels matching `labels`). */
export async function scrapeCounter(metricsUrl: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Linux clock ticks per second (USER_HZ), the unit of utime and stime in /proc/<pid>/stat. */
const USER_HZ = 100;

/**
 * CPU seconds used so far by the Postgres backends serving the catalog
 * (application_name = catalog) of `database`, read from /proc: with the
 * services' own process_cpu_seconds_total it splits a request's CPU cost.
 */
export async function postgresCpuSeconds(adminUrl: string, database: string): Promise<number> {
  const sql = postgres(withDatabase(adminUrl, database), { max: 1, onnotice: () => undefined });
  try {
    const rows = await sql<Array<{ pid: number }>>`select pid from pg_stat_activity where datname = ${database} and application_name = 'catalog'`;
    let ticks = 0;
    for (const { pid } of rows) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // The backend ended meanwhile.
      }
    }
    return ticks / USER_HZ;
  } finally {
    await sql.end();
  }
}
