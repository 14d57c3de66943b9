import { randomBytes } from 'node:crypto';
import { startMailSink, type MailSink, type ReceivedMessage } from '@bursary/mail-sink';
import type { ServiceInstance } from '@bursary/service-kit';
import type { LightMyRequestResponse } from 'fastify';
import { createTestDatabase, serviceTestEnv, uniqueSuffix, waitFor, type TestDatabase } from '@bursary/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import postgres, { type Sql } from 'postgres';
import { buildApp, type AccountsDeps } from '../../src/app.js';
import { loadAccountsConfig } from '../../src/config.js';
import { warmPasswordPolicy } from '../../src/modules/passwords/password-policy.js';

export interface Harness {
  app: ServiceInstance;
  database: TestDatabase;
  /** Superuser connection to the test database: fixtures and assertions. */
  admin: Sql;
  mail: MailSink;
  env: Record<string, string | undefined>;
  post(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Waits for the next email to `to` after `since` messages and returns it. */
  nextEmail(to: string, since?: number): Promise<ReceivedMessage>;
  close(): Promise<void>;
}

/** A fresh address per test: tests never share an account. */
export function newEmail(label = 'student'): string {
  return `${label}-${randomBytes(4).toString('hex')}@bursary.test`;
}

/** A password the policy accepts: random words the dictionary does not know, a separator, length 20+. */
export function strongPassword(): string {
  return `Quokka-${randomBytes(5).toString('hex')}-Lantern!`;
}

/**
 * The accounts service through its real composition (buildApp + inject),
 * on a throwaway database, its own event stream (so the reset mailer of this
 * file consumes this file's events only) and a mail sink of its own. Attempt
 * limits are generous unless a test sets them.
 */
export async function startHarness(overrides: Record<string, string> = {}, deps: AccountsDeps = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const mail = await startMailSink({ smtpPort: 0, httpPort: 0 });
  const suffix = uniqueSuffix('acc');
  const stream = { name: `ACCOUNTS_${suffix}`, subjectPrefix: `accounts-${suffix}` };
  const env = serviceTestEnv({
    DATABASE_URL: database.urlFor('accounts'),
    EVENTS_STREAM: stream.name,
    EVENTS_SUBJECT_PREFIX: stream.subjectPrefix,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(mail.smtpPort),
    AUTH_ATTEMPTS_IP_MAX: '1000',
    AUTH_ATTEMPTS_ACCOUNT_MAX: '1000',
    // Not what these tests are about, and the shared test machine's load would trip them:
    // shedding on event-loop delay, and the limiter's 250 ms Redis budget (then 503, fail closed).
    SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
    RATE_LIMIT_REDIS_COMMAND_TIMEOUT_MS: '2000',
    ...overrides,
  });
  const app = await buildApp(loadAccountsConfig(env), deps);
  await app.ready();
  // The service does this after listen; inject never listens. Loading the dictionaries blocks the loop for a moment: here, not mid-test.
  warmPasswordPolicy();
  const admin = postgres(database.adminUrl, { max: 2, onnotice: () => undefined });
  return {
    app,
    database,
    admin,
    mail,
    env,
    post: (url, body, headers = {}) => app.inject({ method: 'POST', url, payload: body as object, headers: { 'content-type': 'application/json', ...headers } }),
    async nextEmail(to, since = 0) {
      return waitFor(() => mail.messages().filter((message) => message.to.includes(to))[since], { what: `email ${since + 1} to ${to}`, timeoutMs: 20_000 });
    },
    async close() {
      await app.close();
      await mail.close();
      await admin.end({ timeout: 5 });
      await database.drop();
      const nats = await connect({ servers: env['NATS_URL']! });
      try {
        await (await jetstreamManager(nats)).streams.delete(stream.name).catch(() => undefined);
      } finally {
        await nats.close();
      }
    },
  };
}

/** Signs up and logs in; returns the token pair. */
export async function signedIn(harness: Harness, email = newEmail(), password = strongPassword()) {
  const signup = await harness.post('/v1/auth/signup', { email, password });
  if (signup.statusCode !== 201) throw new Error(`signup answered ${signup.statusCode}: ${signup.body}`);
  const login = await harness.post('/v1/auth/login', { email, password });
  if (login.statusCode !== 200) throw new Error(`login answered ${login.statusCode}: ${login.body}`);
  return { email, password, tokens: login.json() as { accessToken: string; refreshToken: string; expiresIn: number; tokenType: string } };
}
