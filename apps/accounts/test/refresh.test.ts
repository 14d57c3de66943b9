import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startHarness, type Harness } from './support/accounts-harness.js';

describe('refresh token rotation, reuse detection and logout', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const refresh = (refreshToken: string) => h.post('/v1/auth/refresh', { refreshToken });

  it('R-ID-1: refresh returns a new pair and the refresh token changes every time; only hashes are stored', async () => {
    const { tokens } = await signedIn(h);
    const first = await refresh(tokens.refreshToken);
    expect(first.statusCode).toBe(200);
    const next = first.json();
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(next.accessToken).not.toBe(tokens.accessToken);
    expect((await refresh(next.refreshToken)).statusCode).toBe(200);
    const stored = await h.admin`select encode(token_hash, 'hex') as hash from accounts.refresh_tokens`;
    const hashes = stored.map((row) => row['hash'] as string);
    expect(hashes.every((hash) => hash.length === 64)).toBe(true);
    const all = JSON.stringify(await h.admin`select * from accounts.refresh_tokens`);
    expect(all).not.toContain(tokens.refreshToken);
    expect(all).not.toContain(next.refreshToken);
  });

  it('R-ID-1: reusing a rotated refresh token is 401 and revokes the family: the newest token dies too', async () => {
    const { tokens } = await signedIn(h);
    const rotated = (await refresh(tokens.refreshToken)).json();
    const reuse = await refresh(tokens.refreshToken);
    expect(reuse.statusCode).toBe(401);
    expect(reuse.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reuse.json()).toMatchObject({ code: 'AUTH_INVALID_REFRESH_TOKEN' });
    const newest = await refresh(rotated.refreshToken);
    expect(newest.statusCode).toBe(401);
    expect(newest.json()).toMatchObject({ code: 'AUTH_INVALID_REFRESH_TOKEN' });
    const [audit] = await h.admin`select action, outcome, user_id, ip, request_id from accounts.audit_log where request_id = ${reuse.headers['x-request-id'] as string}`;
    expect(audit).toMatchObject({ action: 'refresh_reuse', outcome: 'failure', ip: '127.0.0.1' });
    expect(audit!['user_id']).toEqual(expect.any(String));
    const [session] = await h.admin`select revoked_reason from accounts.sessions where id = (select session_id from accounts.refresh_tokens where rotated_at is not null order by created_at desc limit 1)`;
    expect(session).toMatchObject({ revoked_reason: 'reuse_detected' });
  });

  it('R-ID-1: two concurrent refreshes with one token: one wins, the other is reuse and the family is revoked', async () => {
    const { tokens } = await signedIn(h);
    const results = await Promise.all([refresh(tokens.refreshToken), refresh(tokens.refreshToken)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.statusCode === 200)!.json();
    expect((await refresh(winner.refreshToken)).statusCode).toBe(401);
  });

  it('R-ID-1: logout revokes the family (204, idempotent); an unknown token is 204 too; a garbage token on refresh is 401', async () => {
    const { tokens } = await signedIn(h);
    const rotated = (await refresh(tokens.refreshToken)).json();
    const out = await h.post('/v1/auth/logout', { refreshToken: rotated.refreshToken });
    expect(out.statusCode).toBe(204);
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
    expect((await h.post('/v1/auth/logout', { refreshToken: rotated.refreshToken })).statusCode).toBe(204);
    expect((await h.post('/v1/auth/logout', { refreshToken: 'never-issued' })).statusCode).toBe(204);
    const garbage = await refresh('x'.repeat(43));
    expect(garbage.statusCode).toBe(401);
    const missing = await h.post('/v1/auth/refresh', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('R-ID-1: an expired refresh token is 401 (and nothing is rotated)', async () => {
    const { tokens } = await signedIn(h);
    await h.admin`update accounts.refresh_tokens set expires_at = now() - interval '1 second' where rotated_at is null and session_id = (select id from accounts.sessions order by created_at desc limit 1)`;
    expect((await refresh(tokens.refreshToken)).statusCode).toBe(401);
  });
});
