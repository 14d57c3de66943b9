import { randomUUID } from 'node:crypto';
import { IDENTITY_HEADERS } from '@bursary/auth';
import { startPspSimulator, type FaultSpec, type PspSimulator } from '@bursary/psp-simulator';
import type { ServiceInstance } from '@bursary/service-kit';
import { createTestDatabase, serviceTestEnv, uniqueSuffix, type TestDatabase } from '@bursary/testing';
import postgres from 'postgres';
import { buildApp } from '../../src/app.js';
import { loadPaymentsConfig } from '../../src/config.js';

export interface SimulatorControl {
  faults(spec: FaultSpec): Promise<void>;
  clearFaults(): Promise<void>;
  /** Successful charges at the PSP for this test's account, optionally of one Idempotency-Key (our purchase id). */
  charges(idempotencyKey?: string): Promise<{ total: number; by_idempotency_key: Record<string, number> }>;
  /** Points this account's webhooks at `url` (null: none). */
  webhook(url: string | null): Promise<void>;
}

export interface Harness {
  app: ServiceInstance;
  /** The payments app's own listener (the simulator sends webhooks there). */
  url: string;
  database: TestDatabase;
  /** Superuser connection to the test database, for fixtures and assertions. */
  admin: postgres.Sql;
  /** The service role's connection, for what the service itself may and may not do. */
  serviceRole: postgres.Sql;
  sim: PspSimulator;
  apiKey: string;
  control: SimulatorControl;
  runtimeBucket: string;
  /** The environment the app was configured from (the worker takes the same). */
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Deliver the simulator's webhooks to the app (default true). */
  webhooks?: boolean;
}

async function simRequest(sim: PspSimulator, apiKey: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * One payments app as production composes it, over a throwaway database, a
 * simulator of its own (its API key is this file's PSP account) and a
 * runtime bucket of its own, listening on a free port for webhooks.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const sim = await startPspSimulator({ timeFactor: 600 });
  const apiKey = `sk_test_${uniqueSuffix('pay')}`;
  const runtimeBucket = `runtime_${uniqueSuffix('pay')}`;
  const env = serviceTestEnv({
      DATABASE_URL: database.urlFor('payments'),
      RUNTIME_BUCKET: runtimeBucket,
      PSP_API_KEY: apiKey,
      PSP_HOST: sim.host,
      PSP_PORT: String(sim.port),
      PSP_PROTOCOL: 'http',
      PSP_WEBHOOK_SECRETS: sim.webhookSecret,
      PSP_TIMEOUT_MS: '2000',
      PSP_MAX_NETWORK_RETRIES: '2',
      // Bursts of concurrent requests on a busy test machine must reach payments, not the load shedder (tested on its own).
      SHED_MAX_EVENT_LOOP_DELAY_MS: '60000',
      ...options.env,
    });
  const app = await buildApp(loadPaymentsConfig(env));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const control: SimulatorControl = {
    faults: async (spec) => void (await simRequest(sim, apiKey, 'POST', '/_sim/faults', spec)),
    clearFaults: async () => void (await simRequest(sim, apiKey, 'DELETE', '/_sim/faults')),
    charges: async (key) => (await simRequest(sim, apiKey, 'GET', `/_sim/charges${key ? `?idempotency_key=${encodeURIComponent(key)}` : ''}`)) as never,
    webhook: async (target) => void (await simRequest(sim, apiKey, 'PUT', '/_sim/webhook', { url: target, secret: sim.webhookSecret })),
  };
  if (options.webhooks !== false) await control.webhook(`${url}/v1/psp/webhooks`);
  const admin = postgres(database.adminUrl, { max: 2, onnotice: () => undefined });
  const serviceRole = postgres(database.urlFor('payments'), { max: 2, onnotice: () => undefined });
  return {
    app,
    url,
    database,
    admin,
    serviceRole,
    sim,
    apiKey,
    control,
    runtimeBucket,
    env,
    async close() {
      await app.close();
      await sim.close();
      await admin.end();
      await serviceRole.end();
      await database.drop();
    },
  };
}

/** A student as the gateway forwards one: a verified user id (and roles) in the identity headers. */
export function student(userId: string = randomUUID(), roles: string[] = []): Record<string, string> {
  return { [IDENTITY_HEADERS.userId]: userId, [IDENTITY_HEADERS.roles]: roles.join(',') };
}

export function admin(userId: string = randomUUID()): Record<string, string> {
  return student(userId, ['admin']);
}

export interface PostOptions {
  headers: Record<string, string>;
  key?: string;
  body: unknown;
}

export function post(app: ServiceInstance, url: string, options: PostOptions) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...options.headers, ...(options.key === undefined ? {} : { 'idempotency-key': options.key }), 'content-type': 'application/json' },
    payload: JSON.stringify(options.body),
  });
}

/** Σ debits and Σ credits per currency over the whole journal (R-PAY-7). */
export async function journalTotals(admin: postgres.Sql): Promise<Array<{ currency: string; debits: string; credits: string }>> {
  return admin<Array<{ currency: string; debits: string; credits: string }>>`
    select currency,
           coalesce(sum(amount_minor) filter (where direction = 'debit'), 0)::text as debits,
           coalesce(sum(amount_minor) filter (where direction = 'credit'), 0)::text as credits
    from payments.journal_entries group by currency order by currency`;
}
