import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startHarness, strongPassword, type Harness } from './support/accounts-harness.js';

describe('audit log', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('R-ID-3: auth events are recorded with user id, client ip (from the trusted gateway), request id and outcome, and never an email, password or token', async () => {
    const via = { 'x-forwarded-for': '198.51.100.23' };
    const { email, password } = { email: `audit-${Date.now()}@bursary.test`, password: strongPassword() };
    await h.post('/v1/auth/signup', { email, password }, via);
    const bad = await h.post('/v1/auth/login', { email, password: strongPassword() }, { ...via, 'x-request-id': 'audit-req-1' });
    const good = await h.post('/v1/auth/login', { email, password }, via);
    const { refreshToken, accessToken } = good.json();
    const rotated = (await h.post('/v1/auth/refresh', { refreshToken }, via)).json();
    await h.post('/v1/auth/refresh', { refreshToken }, via); // reuse: the family dies
    const second = (await h.post('/v1/auth/login', { email, password }, via)).json();
    await h.post('/v1/auth/logout', { refreshToken: second.refreshToken }, via);
    await h.post('/v1/auth/password-reset/request', { email }, via);

    const [user] = await h.admin`select id from accounts.users where email = ${email}`;
    const rows = await h.admin`select action, outcome, user_id, ip, request_id, details from accounts.audit_log where user_id = ${user!['id']} order by id`;
    expect(rows.map((row) => `${row['action']}:${row['outcome']}`)).toEqual([
      'signup:success',
      'login:failure',
      'login:success',
      'refresh_reuse:failure',
      'login:success',
      'logout:success',
      'password_reset_requested:success',
    ]);
    for (const row of rows) {
      expect(row['ip']).toBe('198.51.100.23');
      expect(row['request_id']).toEqual(expect.any(String));
    }
    expect(rows[1]).toMatchObject({ request_id: 'audit-req-1', details: { reason: 'wrong_password' } });
    expect(bad.statusCode).toBe(401);

    const everything = JSON.stringify(await h.admin`select * from accounts.audit_log`);
    for (const secret of [email, password, refreshToken, rotated.refreshToken, second.refreshToken, accessToken]) expect(everything).not.toContain(secret);
  });

  it('R-ID-3: the service role can insert and read the audit log, but UPDATE, DELETE and TRUNCATE are refused; the trigger refuses them even to the owner', async () => {
    await signedIn(h);
    const service = postgres(h.database.urlFor('accounts'), { max: 1, onnotice: () => undefined });
    try {
      await service`insert into accounts.audit_log (action, outcome) values ('test', 'success')`;
      expect((await service`select count(*)::int as n from accounts.audit_log`)[0]!['n']).toBeGreaterThan(0);
      await expect(service`update accounts.audit_log set outcome = 'failure'`).rejects.toThrow(/permission denied/);
      await expect(service`delete from accounts.audit_log`).rejects.toThrow(/permission denied/);
      await expect(service`truncate accounts.audit_log`).rejects.toThrow(/permission denied|must be owner/);
    } finally {
      await service.end();
    }
    await expect(h.admin`update accounts.audit_log set outcome = 'failure'`).rejects.toThrow(/append-only/);
    await expect(h.admin`delete from accounts.audit_log`).rejects.toThrow(/append-only/);
    await expect(h.admin`truncate accounts.audit_log`).rejects.toThrow(/append-only/);
  });
});
