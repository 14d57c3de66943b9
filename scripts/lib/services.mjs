// The service table: the single source of truth for which processes
// `npm start` runs, on which ports, with which environment, and which
// databases `npm start` and `npm test` migrate. Service authors: a new
// variable your config.ts needs in development goes in `env` below.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The development database on the TLS Postgres (every service owns a schema in it). */
export const DEV_DATABASE = 'bursary';
/**
 * The migrated template on the plain Postgres that each test file clones
 * (DESIGN.md §3.14). BURSARY_TEST_PG_TEMPLATE overrides the name, e.g. for a
 * second checkout on the same machine.
 */
export const TEST_TEMPLATE_DATABASE = process.env.BURSARY_TEST_PG_TEMPLATE || 'bursary_template';
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(TEST_TEMPLATE_DATABASE)) {
  throw new Error(`BURSARY_TEST_PG_TEMPLATE must be a lower-case SQL identifier (got "${TEST_TEMPLATE_DATABASE}")`);
}

/**
 * name: apps/<name>; port: public HTTP port (metrics on port + 1000);
 * database: owns schema <name> and role bursary_<name>.
 */
export const SERVICES = [
  {
    name: 'gateway',
    port: 8080,
    database: false,
    env: (ports) => ({
      UPSTREAM_ACCOUNTS_URL: `http://127.0.0.1:${ports.accounts}`,
      UPSTREAM_CATALOG_URL: `http://127.0.0.1:${ports.catalog}`,
      UPSTREAM_PAYMENTS_URL: `http://127.0.0.1:${ports.payments}`,
      UPSTREAM_WEBHOOKS_URL: `http://127.0.0.1:${ports.webhooks}`,
    }),
  },
  { name: 'accounts', port: 8081, database: true, env: () => ({}) },
  { name: 'catalog', port: 8082, database: true, env: () => ({}) },
  { name: 'payments', port: 8083, database: true, env: () => ({}) },
  { name: 'webhooks', port: 8084, database: true, env: () => ({}) },
];

/** A worker (apps/<name>/dist/worker.js) listens, if at all, on its service's port + 100. */
const WORKER_PORT_OFFSET = 100;
const METRICS_PORT_OFFSET = 1000;

/** Runnables that never ship; started by `npm start` when built. */
export const DEV_TOOLS = [
  {
    name: 'psp-simulator',
    dir: 'tools/psp-simulator',
    port: 12111,
    // Webhooks go straight to payments (not through the gateway), signed with the
    // development secret both sides default to (whsec_bursary_psp_simulator_development_secret).
    env: { PORT: '12111', WEBHOOK_URL: 'http://127.0.0.1:8083/v1/psp/webhooks' },
    label: 'PSP simulator',
  },
  {
    name: 'mail-sink',
    dir: 'tools/mail-sink',
    port: 8025,
    extraPorts: [1025],
    env: { PORT: '8025', HTTP_PORT: '8025', SMTP_PORT: '1025' },
    label: 'Mail sink',
  },
];

export const roleName = (name) => `bursary_${name}`;
/** Development-only password; the role is created by the service's migrate command from DATABASE_URL. */
export const devPassword = (name) => `dev_${name}_pw`;

const distFile = (dir, file) => join(ROOT, dir, 'dist', file);

/** The same URL with another user, password and/or database. */
export function withUrlParts(url, { user, password, database }) {
  const parsed = new URL(url);
  if (user !== undefined) parsed.username = encodeURIComponent(user);
  if (password !== undefined) parsed.password = encodeURIComponent(password);
  if (database !== undefined) parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Database variables of one service against one Postgres.
 * target: { adminUrl (any database on that server), database, tls: 'verify-full' | 'disable', caFile? }
 */
export function databaseEnv(service, target) {
  const env = {
    DATABASE_URL: withUrlParts(target.adminUrl, { user: roleName(service.name), password: devPassword(service.name), database: target.database }),
    DATABASE_TLS: target.tls,
  };
  if (target.caFile) env.DATABASE_CA_FILE = target.caFile;
  return env;
}

function portsByName() {
  return Object.fromEntries(SERVICES.map((service) => [service.name, service.port]));
}

function commonEnv(port, stack) {
  return {
    APP_ENV: 'development',
    PORT: String(port),
    METRICS_PORT: String(port + METRICS_PORT_OFFSET),
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    REDIS_URL: stack.REDIS_URL,
    NATS_URL: stack.NATS_URL,
  };
}

/** The development TLS Postgres as a migrate/db target (needs PG_TLS_* from infra/postgres-tls.sh). */
export function devDatabaseTarget(stack) {
  return { adminUrl: stack.PG_TLS_ADMIN_URL, database: DEV_DATABASE, tls: 'verify-full', caFile: stack.PG_TLS_CA_FILE };
}

/** The plain Postgres test template as a migrate target. */
export function templateDatabaseTarget(stack) {
  return { adminUrl: stack.PG_ADMIN_URL, database: TEST_TEMPLATE_DATABASE, tls: 'disable' };
}

/**
 * The node flags of a package's `start` script (`node --flag … dist/server.js`),
 * so that the dev runner starts a service as production does; the gateway's
 * young-generation size is one (apps/gateway/README.md, "Node flags").
 */
function startScriptFlags(dir) {
  const start = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')).scripts?.start ?? '';
  return start.split(/\s+/).filter((word) => word.startsWith('--'));
}

/**
 * Every long-running process of `npm start` whose dist exists:
 * { name, kind: service|worker|tool, cwd, script, nodeArgs, env, port, ports, healthPath }.
 * `missing` lists what is not built (so the caller can say so).
 */
export function startPlan(stack) {
  const ports = portsByName();
  const target = devDatabaseTarget(stack);
  const processes = [];
  const missing = [];
  for (const service of SERVICES) {
    const dir = `apps/${service.name}`;
    const env = {
      ...commonEnv(service.port, stack),
      ...(service.database ? databaseEnv(service, target) : {}),
      ...service.env(ports),
    };
    const server = distFile(dir, 'server.js');
    if (!existsSync(server)) {
      missing.push(`${dir}/dist/server.js`);
      continue;
    }
    processes.push({
      name: service.name,
      kind: 'service',
      cwd: join(ROOT, dir),
      script: server,
      nodeArgs: startScriptFlags(dir),
      env,
      port: service.port,
      ports: [service.port, service.port + METRICS_PORT_OFFSET],
      healthPath: '/readyz',
    });
    const worker = distFile(dir, 'worker.js');
    if (existsSync(worker)) {
      const port = service.port + WORKER_PORT_OFFSET;
      processes.push({
        name: `${service.name}-worker`,
        kind: 'worker',
        cwd: join(ROOT, dir),
        script: worker,
        env: { ...env, PORT: String(port), METRICS_PORT: String(port + METRICS_PORT_OFFSET) },
        port,
        ports: [port, port + METRICS_PORT_OFFSET],
        healthPath: '/readyz',
      });
    }
  }
  for (const tool of DEV_TOOLS) {
    const server = distFile(tool.dir, 'server.js');
    if (!existsSync(server)) continue;
    processes.push({
      name: tool.name,
      kind: 'tool',
      cwd: join(ROOT, tool.dir),
      script: server,
      env: { APP_ENV: 'development', LOG_LEVEL: process.env.LOG_LEVEL || 'info', ...tool.env },
      port: tool.port,
      ports: [tool.port, ...(tool.extraPorts ?? [])],
      healthPath: '/healthz',
      label: tool.label,
    });
  }
  return { processes, missing };
}

/**
 * The migrate command of every database service against `target`:
 * [{ name, cwd, script, env }]; `skipped` lists services without dist/migrate.js.
 */
export function migratePlan(stack, target, appEnv) {
  const migrations = [];
  const skipped = [];
  for (const service of SERVICES.filter((candidate) => candidate.database)) {
    const dir = `apps/${service.name}`;
    const script = distFile(dir, 'migrate.js');
    if (!existsSync(script)) {
      skipped.push(service.name);
      continue;
    }
    migrations.push({
      name: service.name,
      cwd: join(ROOT, dir),
      script,
      env: {
        ...commonEnv(service.port, stack),
        APP_ENV: appEnv,
        ...databaseEnv(service, target),
        // Only the migrate command ever sees an admin URL.
        DATABASE_ADMIN_URL: withUrlParts(target.adminUrl, { database: target.database }),
      },
    });
  }
  return { migrations, skipped };
}

/** tools/seed, run after migrations by `npm start` when built. */
export function seedPlan(stack) {
  const script = join(ROOT, 'tools/seed/dist/seed.js');
  if (!existsSync(script)) return undefined;
  const target = devDatabaseTarget(stack);
  const env = {
    APP_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    DATABASE_ADMIN_URL: withUrlParts(target.adminUrl, { database: target.database }),
    DATABASE_TLS: target.tls,
    DATABASE_CA_FILE: target.caFile,
    REDIS_URL: stack.REDIS_URL,
    NATS_URL: stack.NATS_URL,
  };
  for (const service of SERVICES.filter((candidate) => candidate.database)) {
    env[`SEED_${service.name.toUpperCase()}_DATABASE_URL`] = databaseEnv(service, target).DATABASE_URL;
  }
  return { name: 'seed', cwd: join(ROOT, 'tools/seed'), script, env };
}
