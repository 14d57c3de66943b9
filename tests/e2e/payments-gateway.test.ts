import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { openRuntimeBucket } from '@bursary/runtime-config';
import { waitFor } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerTotals, startPaymentsStack, type PaymentsStack } from '../support/payments-stack.js';

// Issue 7's "done when", through the gateway as a signed-in student: the
// gateway verifies the token (AUTH_MODE=enforce) and forwards the identity.
describe('payments through the gateway (e2e)', () => {
  let stack: PaymentsStack;
  let gateway: string;

  beforeAll(async () => {
    stack = await startPaymentsStack({ gateway: true });
    gateway = stack.gateway!.url;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const call = async (method: string, path: string, options: { token?: string; key?: string; body?: unknown } = {}) => {
    const response = await fetch(`${gateway}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.key ? { 'idempotency-key': options.key } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text), replayed: response.headers.get('idempotent-replayed') };
  };
  const creditsOf = async (token: string) => (await call('GET', '/v1/credits', { token })).json().balance as number;

  it('R-AUTH-1: payments routes need a valid token', async () => {
    expect((await call('GET', '/v1/credits')).status).toBe(401);
    expect((await call('POST', '/v1/purchases', { key: randomUUID(), body: { packageId: 'starter' } })).status).toBe(401);
    const token = await stack.token(randomUUID());
    const packages = await call('GET', '/v1/credit-packages', { token });
    expect(packages.status).toBe(200);
    expect(packages.json().items.length).toBeGreaterThan(0);
  });

  it('R-PAY-2: 200 concurrent identical purchases through the gateway: one purchase, one charge, the credits once', { timeout: 60_000 }, async () => {
    const userId = randomUUID();
    const token = await stack.token(userId);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 200 }, () => call('POST', '/v1/purchases', { token, key, body: { packageId: 'standard' } })));
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length + answers.filter((answer) => answer.status === 409).length).toBe(200);
    expect(new Set(created.map((answer) => answer.text)).size).toBe(1);
    const purchase = created[0]!.json();
    expect((await stack.psp.charges()).by_idempotency_key[purchase.id]).toBe(1);
    const [rows] = await stack.admin`select count(*)::int as n from payments.purchases where user_id = ${userId}`;
    expect(rows!['n']).toBe(1);
    expect(await creditsOf(token)).toBe(25);
    const mine = await call('GET', `/v1/purchases/${purchase.id}`, { token });
    expect(mine.json()).toMatchObject({ id: purchase.id, status: 'succeeded' });
  });

  it('R-PAY-2: a reused key with another body is 422; a missing key is 400', async () => {
    const token = await stack.token(randomUUID());
    const key = randomUUID();
    expect((await call('POST', '/v1/purchases', { token, key, body: { packageId: 'starter' } })).status).toBe(201);
    const reused = await call('POST', '/v1/purchases', { token, key, body: { packageId: 'premium' } });
    expect(reused.status).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const missing = await call('POST', '/v1/purchases', { token, body: { packageId: 'starter' } });
    expect(missing.status).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISSING' });
    expect(await creditsOf(token)).toBe(10);
  });

  it('R-PAY-5: a refund through the gateway reverses the ledger', async () => {
    const token = await stack.token(randomUUID());
    const bought = await call('POST', '/v1/purchases', { token, key: randomUUID(), body: { packageId: 'premium' } });
    expect(await creditsOf(token)).toBe(60);
    const refund = await call('POST', '/v1/refunds', { token, key: randomUUID(), body: { purchaseId: bought.json().id } });
    expect(refund.status).toBe(201);
    expect(refund.json()).toMatchObject({ status: 'succeeded', amountMinor: 3999, creditsReversed: 60 });
    expect(await creditsOf(token)).toBe(0);
    expect((await call('GET', `/v1/purchases/${bought.json().id}`, { token })).json().refundedMinor).toBe(3999);
    for (const total of await ledgerTotals(stack.admin)) expect(total.debits, total.currency).toBe(total.credits);
  });

  it('R-OPS-3: purchases.enabled=false answers 503 PURCHASES_DISABLED without touching the PSP', async () => {
    const token = await stack.token(randomUUID());
    const nats = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
    const kv = await openRuntimeBucket(nats, stack.env.RUNTIME_BUCKET);
    try {
      await kv.put('purchases.enabled', JSON.stringify(false));
      const refused = await waitFor(
        async () => {
          const answer = await call('POST', '/v1/purchases', { token, key: randomUUID(), body: { packageId: 'starter' } });
          return answer.status === 503 ? answer : undefined;
        },
        { what: 'the kill switch to reach payments', timeoutMs: 5_000 },
      );
      expect(refused.json()).toMatchObject({ code: 'PURCHASES_DISABLED' });
      const before = (await stack.psp.charges()).total;
      const again = await call('POST', '/v1/purchases', { token, key: randomUUID(), body: { packageId: 'premium' } });
      expect(again.status).toBe(503);
      expect((await stack.psp.charges()).total).toBe(before);
      await kv.put('purchases.enabled', JSON.stringify(true));
      await waitFor(async () => (await call('POST', '/v1/purchases', { token, key: randomUUID(), body: { packageId: 'starter' } })).status === 201, {
        what: 'purchases to come back',
        timeoutMs: 5_000,
      });
    } finally {
      await nats.close();
    }
  });
});
