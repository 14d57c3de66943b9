import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalTotals, post, startHarness, student, type Harness } from './support/harness.js';

describe('credit purchases', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const buy = (user: Record<string, string>, key: string | undefined, body: unknown = { packageId: 'starter' }) => post(h.app, '/v1/purchases', { headers: user, key, body });
  const credits = async (user: Record<string, string>) => (await h.app.inject({ method: 'GET', url: '/v1/credits', headers: user })).json().balance as number;

  it('R-PAY-1: GET /v1/credit-packages lists the packages on sale', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/v1/credit-packages', headers: student() });
    expect(response.statusCode).toBe(200);
    expect(response.json().items.map((item: { id: string }) => item.id)).toEqual(['starter', 'standard', 'premium']);
  });

  it('R-PAY-1: a purchase is charged once at the PSP, granted once in the ledger and shown in the balance', async () => {
    const user = student();
    const response = await buy(user, randomUUID());
    expect(response.statusCode).toBe(201);
    const purchase = response.json();
    expect(purchase).toMatchObject({ packageId: 'starter', credits: 10, amountMinor: 999, currency: 'EUR', status: 'succeeded', refundedMinor: 0 });
    expect(response.headers['location']).toBe(`/v1/purchases/${purchase.id}`);
    expect((await h.control.charges(purchase.id)).total).toBe(1);
    expect(await credits(user)).toBe(10);
    const [journal] = await h.admin`select count(*)::int as n from payments.journal_transactions where source_key = ${`purchase:${purchase.id}`}`;
    expect(journal!['n']).toBe(1);
    const listed = await h.app.inject({ method: 'GET', url: '/v1/purchases', headers: user });
    expect(listed.json().items.map((item: { id: string }) => item.id)).toEqual([purchase.id]);
    const one = await h.app.inject({ method: 'GET', url: `/v1/purchases/${purchase.id}`, headers: user });
    expect(one.json()).toEqual(purchase);
    // Someone else's purchase does not exist for you.
    expect((await h.app.inject({ method: 'GET', url: `/v1/purchases/${purchase.id}`, headers: student() })).statusCode).toBe(404);
  });

  it('R-PAY-2: a POST without Idempotency-Key is 400 IDEMPOTENCY_KEY_MISSING; a malformed one 400 IDEMPOTENCY_KEY_INVALID', async () => {
    const missing = await buy(student(), undefined);
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISSING' });
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const bad of ['x'.repeat(256), '"unterminated', '"a"b"', 'tab\there', 'é-not-ascii']) {
      const response = await buy(student(), bad);
      expect(response.json(), bad).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID' });
    }
    expect((await buy(student(), 'x'.repeat(255))).statusCode).toBe(201);
  });

  it('R-PAY-2: a retry replays the first answer byte for byte with Idempotent-Replayed: true; a quoted key is the same key', async () => {
    const user = student();
    const key = `order-${randomUUID()}`;
    const first = await buy(user, key);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await buy(user, key);
    const quoted = await buy(user, `"${key}"`);
    for (const replay of [again, quoted]) {
      expect(replay.statusCode).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.rawPayload.equals(first.rawPayload)).toBe(true);
      expect(replay.headers['location']).toBe(first.headers['location']);
    }
    expect((await h.control.charges(first.json().id)).total).toBe(1);
    expect(await credits(user)).toBe(10);
    // Keys are per principal: another student's identical key is another purchase.
    const other = await buy(student(), key);
    expect(other.statusCode).toBe(201);
    expect(other.json().id).not.toBe(first.json().id);
  });

  it('R-PAY-2: the same key with another body is 422 IDEMPOTENCY_KEY_REUSED and never reaches the PSP', async () => {
    const user = student();
    const key = randomUUID();
    expect((await buy(user, key, { packageId: 'starter' })).statusCode).toBe(201);
    const before = (await h.control.charges()).total;
    const reused = await buy(user, key, { packageId: 'premium' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await h.control.charges()).total).toBe(before);
    expect(await credits(user)).toBe(10);
  });

  it('R-PAY-2: 50 concurrent identical requests make one purchase, one charge, one journal transaction; every answer is the 201 or 409', async () => {
    const user = student();
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 50 }, () => buy(user, key, { packageId: 'standard' })));
    const created = responses.filter((r) => r.statusCode === 201);
    const inUse = responses.filter((r) => r.statusCode === 409);
    expect(created.length + inUse.length).toBe(50);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const response of created) expect(response.rawPayload.equals(created[0]!.rawPayload)).toBe(true);
    for (const response of inUse) {
      expect(response.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
    }
    const purchaseId = created[0]!.json().id;
    expect((await h.control.charges(purchaseId)).total).toBe(1);
    const [rows] = await h.admin`select count(*)::int as n from payments.purchases where user_id = ${user['x-bursary-user-id']!}`;
    expect(rows!['n']).toBe(1);
    expect(await credits(user)).toBe(25);
  });

  it('R-PAY-2: a PSP outage is a 503 that freezes nothing: the retry with the same key resumes and charges once', async () => {
    const user = student();
    const key = randomUUID();
    await h.control.faults({ failNext5xx: 10, match: { path: '/v1/payment_intents' } });
    const failed = await buy(user, key);
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toMatchObject({ code: 'PSP_UNAVAILABLE' });
    await h.control.clearFaults();
    const retried = await buy(user, key);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.json().id).toBe(failed.json().purchaseId);
    expect((await h.control.charges(retried.json().id)).total).toBe(1);
    expect(await credits(user)).toBe(10);
  });

  it('R-PAY-2: a PSP timeout after the charge succeeded is retried with the same PSP key: still one charge', async () => {
    const user = student();
    await h.control.faults({ timeoutAfterCharge: 1 });
    const response = await buy(user, randomUUID());
    await h.control.clearFaults();
    expect(response.statusCode).toBe(201);
    expect((await h.control.charges(response.json().id)).total).toBe(1);
    expect(await credits(user)).toBe(10);
  });

  it('R-PAY-1: a declined card is a stored 402 PAYMENT_DECLINED: no credits, the retry replays it', async () => {
    const user = student();
    const key = randomUUID();
    const declined = await buy(user, key, { packageId: 'starter', paymentMethod: 'pm_card_chargeDeclined' });
    expect(declined.statusCode).toBe(402);
    expect(declined.json()).toMatchObject({ code: 'PAYMENT_DECLINED', declineCode: expect.any(String) });
    const replay = await buy(user, key, { packageId: 'starter', paymentMethod: 'pm_card_chargeDeclined' });
    expect(replay.statusCode).toBe(402);
    expect(replay.rawPayload.equals(declined.rawPayload)).toBe(true);
    expect(await credits(user)).toBe(0);
  });

  it('R-PAY-1: an unknown package is a 404 and charges nothing', async () => {
    const response = await buy(student(), randomUUID(), { packageId: 'nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'CREDIT_PACKAGE_NOT_FOUND' });
  });

  it('R-PAY-1: without a verified user the purchase is 401', async () => {
    const response = await post(h.app, '/v1/purchases', { headers: {}, key: randomUUID(), body: { packageId: 'starter' } });
    expect(response.statusCode).toBe(401);
  });

  it('R-PAY-1: the OpenAPI document describes the payments routes, Idempotency-Key included', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    for (const path of ['/v1/credit-packages', '/v1/purchases', '/v1/purchases/{id}', '/v1/credits', '/v1/refunds', '/v1/payouts', '/v1/provider/payouts', '/v1/psp/webhooks']) {
      expect(document.paths[path], path).toBeDefined();
    }
    const parameters = document.paths['/v1/purchases'].post.parameters as Array<{ name: string; in: string }>;
    expect(parameters).toContainEqual(expect.objectContaining({ name: 'idempotency-key', in: 'header' }));
  });

  it('R-PAY-7: Σ debits = Σ credits over the whole journal', async () => {
    const totals = await journalTotals(h.admin);
    expect(totals.length).toBeGreaterThan(0);
    for (const total of totals) expect(total.debits, total.currency).toBe(total.credits);
  });
});
