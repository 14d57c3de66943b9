import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPspSimulator, type FaultSpec, type PspSimulator } from '@bursary/psp-simulator';
import { startThrowawayPostgres, uniqueSuffix, type ThrowawayPostgres } from '@bursary/testing';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import postgres from 'postgres';
import { runMigrate, serviceEntry, startServiceProcess, type ServiceProcess } from './service-process.js';
import { removeNatsNames } from './stack.js';

export interface PaymentsStackOptions {
  /** Start the gateway in front of payments, verifying tokens this stack signs (AUTH_MODE=enforce). */
  gateway?: boolean;
  /** Start the payments worker (BullMQ) beside the service. */
  worker?: boolean;
  /** Extra environment of payments and its worker. */
  paymentsEnv?: Record<string, string>;
}

export interface SimulatorCalls {
  faults(spec: FaultSpec): Promise<void>;
  clearFaults(): Promise<void>;
  /** Successful charges of this stack's PSP account. */
  charges(): Promise<{ total: number; by_idempotency_key: Record<string, number> }>;
  deliveries(query: Record<string, string>): Promise<Array<{ event: string; type: string; status: string; attempts: Array<{ status?: number }> }>>;
}

export interface ReconcileRun {
  exitCode: number | null;
  report: { matchRatio: number; duplicates: number; ledgerBalanced: boolean; counts: Record<string, number>; issues: unknown[] } | undefined;
  output: string;
}

export interface PaymentsStack {
  postgres: ThrowawayPostgres;
  /** Superuser on the `bursary` database (assertions). */
  admin: postgres.Sql;
  /** The payments service role's own URL (what the service may do). */
  serviceRoleUrl: string;
  sim: PspSimulator;
  psp: SimulatorCalls;
  payments: ServiceProcess;
  worker: ServiceProcess | undefined;
  gateway: ServiceProcess | undefined;
  /** The environment of payments and its worker. */
  env: Record<string, string> & { RUNTIME_BUCKET: string };
  /** An access token for `userId` as accounts would issue it (EdDSA, the gateway's issuer and audience). */
  token(userId: string, roles?: string[]): Promise<string>;
  /** Starts payments again on its port, e.g. after `payments.kill()`. */
  restartPayments(): Promise<void>;
  startWorker(): Promise<void>;
  /** `node apps/payments/dist/worker.js reconcile`: the on-demand reconciliation, through the running worker. */
  reconcile(): Promise<ReconcileRun>;
  stop(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * Payments as production runs it (compiled JS, plain node) over a Postgres of
 * its own, with the PSP simulator, optionally its worker and the gateway with
 * real token verification: what the money chaos tests and the payments e2e
 * tests drive. Leases are short so that recovery after a kill is quick.
 */
export async function startPaymentsStack(options: PaymentsStackOptions = {}): Promise<PaymentsStack> {
  const suffix = uniqueSuffix('pay');
  const db = await startThrowawayPostgres();
  const adminUrl = `postgres://postgres@127.0.0.1:${db.port}/bursary`;
  const serviceRoleUrl = `postgres://bursary_payments:e2e_payments_pw@127.0.0.1:${db.port}/bursary`;
  const sim = await startPspSimulator({ timeFactor: 600 });
  const apiKey = `sk_test_${suffix}`;
  const simCall = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`PSP simulator ${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const keys = await generateKeyPair('EdDSA', { extractable: true });
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: `k-${suffix}`, alg: 'EdDSA', use: 'sig' };
  const jwks = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' });
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  const jwksPort = await listen(jwks);

  const env: Record<string, string> = {
    DATABASE_URL: serviceRoleUrl,
    DATABASE_TLS: 'disable',
    DATABASE_POOL_MAX: '20',
    NATS_URL: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
    RUNTIME_BUCKET: `runtime_${suffix}`,
    EVENTS_STREAM: `EVENTS_${suffix}`,
    EVENTS_SUBJECT_PREFIX: `events-${suffix}`,
    REDIS_KEY_PREFIX: `test:${suffix}:`,
    LOG_LEVEL: 'warn',
    PSP_API_KEY: apiKey,
    PSP_HOST: sim.host,
    PSP_PORT: String(sim.port),
    PSP_PROTOCOL: 'http',
    PSP_WEBHOOK_SECRETS: sim.webhookSecret,
    PSP_TIMEOUT_MS: '1500',
    PSP_MAX_NETWORK_RETRIES: '1',
    PURCHASE_LEASE_MS: '4000',
    IDEMPOTENCY_LEASE_MS: '4000',
    RECOVER_EVERY_MS: '500',
    RECONCILE_EVERY_MS: '3600000',
    // These suites judge money under bursts on a small shared machine: a shed 503 (R-SHED-1, tested on its own)
    // would be an answer outside "201, replay or 409" that says nothing about payments.
    SHED_MAX_EVENT_LOOP_DELAY_MS: '60000',
    ...options.paymentsEnv,
  };

  const nats = { url: env['NATS_URL']!, bucket: env['RUNTIME_BUCKET']!, stream: env['EVENTS_STREAM']!, subjectPrefix: env['EVENTS_SUBJECT_PREFIX']! };
  const started: ServiceProcess[] = [];
  let admin: postgres.Sql | undefined;
  try {
    await runMigrate('payments', { DATABASE_ADMIN_URL: adminUrl, DATABASE_URL: serviceRoleUrl, DATABASE_TLS: 'disable' });
    admin = postgres(adminUrl, { max: 2, onnotice: () => undefined });
    let payments = await startServiceProcess('payments', env);
    started.push(payments);
    await simCall('PUT', '/_sim/webhook', { url: `${payments.url}/v1/psp/webhooks`, secret: sim.webhookSecret });
    let worker: ServiceProcess | undefined;
    const startWorker = async () => {
      worker = await startServiceProcess('payments', env, { file: 'worker' });
      started.push(worker);
    };
    if (options.worker) await startWorker();
    let gateway: ServiceProcess | undefined;
    if (options.gateway) {
      const nowhere = 'http://127.0.0.1:9';
      gateway = await startServiceProcess('gateway', {
        NATS_URL: env['NATS_URL']!,
        RUNTIME_BUCKET: env['RUNTIME_BUCKET']!,
        REDIS_KEY_PREFIX: env['REDIS_KEY_PREFIX']!,
        LOG_LEVEL: 'warn',
        UPSTREAM_PAYMENTS_URL: payments.url,
        UPSTREAM_ACCOUNTS_URL: nowhere,
        UPSTREAM_CATALOG_URL: nowhere,
        UPSTREAM_WEBHOOKS_URL: nowhere,
        AUTH_MODE: 'enforce',
        AUTH_JWKS_URL: `http://127.0.0.1:${jwksPort}/jwks.json`,
        // These suites measure payments, not the per-user write budget.
        RATE_LIMIT_WRITE_MAX: '1000000',
        RATE_LIMIT_READ_MAX: '1000000',
        SHED_MAX_EVENT_LOOP_DELAY_MS: env['SHED_MAX_EVENT_LOOP_DELAY_MS']!,
      });
      started.push(gateway);
    }
    const stack: PaymentsStack = {
      postgres: db,
      admin,
      serviceRoleUrl,
      sim,
      psp: {
        faults: async (spec) => void (await simCall('POST', '/_sim/faults', spec)),
        clearFaults: async () => void (await simCall('DELETE', '/_sim/faults')),
        charges: () => simCall('GET', '/_sim/charges'),
        deliveries: async (query) => (await simCall<{ data: never[] }>('GET', `/_sim/webhook-deliveries?${new URLSearchParams(query)}`)).data,
      },
      get payments() {
        return payments;
      },
      get worker() {
        return worker;
      },
      gateway,
      env: env as PaymentsStack['env'],
      async token(userId, roles = []) {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ roles })
          .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid, typ: 'at+jwt' })
          .setIssuer('urn:bursary:accounts')
          .setAudience('urn:bursary:api')
          .setSubject(userId)
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(keys.privateKey);
      },
      async restartPayments() {
        payments = await startServiceProcess('payments', env, { port: payments.port });
        started.push(payments);
      },
      startWorker,
      async reconcile() {
        const child = spawn(process.execPath, [serviceEntry('payments', 'worker'), 'reconcile'], { env: { ...process.env, APP_ENV: 'test', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        let errors = '';
        child.stdout!.on('data', (chunk) => (output += chunk));
        child.stderr!.on('data', (chunk) => (errors += chunk));
        const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
        let report: ReconcileRun['report'];
        try {
          report = JSON.parse(output);
        } catch {
          report = undefined;
        }
        return { exitCode, report, output: `${output}${errors}` };
      },
      async stop() {
        await Promise.all(started.map((process) => process.stop()));
        await admin?.end();
        await sim.close();
        jwks.close();
        db.destroy();
        await removeNatsNames(nats);
      },
    };
    return stack;
  } catch (error) {
    await Promise.all(started.map((process) => process.kill()));
    await admin?.end();
    await sim.close();
    jwks.close();
    db.destroy();
    throw error;
  }
}

/** Σ debits and Σ credits per currency over the whole journal (R-PAY-7). */
export async function ledgerTotals(admin: postgres.Sql): Promise<Array<{ currency: string; debits: string; credits: string }>> {
  return admin<Array<{ currency: string; debits: string; credits: string }>>`
    select currency,
           coalesce(sum(amount_minor) filter (where direction = 'debit'), 0)::text as debits,
           coalesce(sum(amount_minor) filter (where direction = 'credit'), 0)::text as credits
    from payments.journal_entries group by currency order by currency`;
}
