import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStripeSignature } from '../src/modules/webhooks/stripe-signature.js';
import { startHarness, student, type Harness } from './support/harness.js';

const OLD_SECRET = 'whsec_rotated_out_old_secret';

describe('PSP webhooks', () => {
  let h: Harness;
  beforeAll(async () => {
    // Webhooks are posted by the test itself here; the simulator's own deliveries are off.
    // No automatic PSP retries: a lost answer stays lost, as after a crash.
    h = await startHarness({ webhooks: false, env: { PSP_WEBHOOK_SECRETS: `whsec_current_secret_for_tests,${OLD_SECRET}`, PSP_MAX_NETWORK_RETRIES: '0', PSP_TIMEOUT_MS: '500' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const signed = (payload: string, secret = 'whsec_current_secret_for_tests', timestamp = Math.floor(Date.now() / 1000)) =>
    Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
  const deliver = (payload: string, signature: string | undefined) =>
    h.app.inject({ method: 'POST', url: '/v1/psp/webhooks', headers: { 'content-type': 'application/json; charset=utf-8', ...(signature ? { 'stripe-signature': signature } : {}) }, payload });
  const storedEvents = async () => Number((await h.admin`select count(*)::int as n from payments.psp_events`)[0]!['n']);

  /** A purchase as phase 1 leaves it: stored, in flight, its PSP outcome not known yet. */
  async function inFlightPurchase(userId = randomUUID()): Promise<string> {
    const id = randomUUID();
    await h.admin`insert into payments.purchases (id, user_id, package_id, credits, amount_minor, currency, payment_method, lease_until)
                  values (${id}, ${userId}, 'starter', 10, 999, 'EUR', 'pm_card_visa', now() + interval '1 hour')`;
    return id;
  }

  function intentEvent(purchaseId: string, type: string, status: string, created: number, extra: Record<string, unknown> = {}) {
    return JSON.stringify({
      id: `evt_${randomUUID().replaceAll('-', '')}`,
      object: 'event',
      type,
      created,
      livemode: false,
      data: { object: { id: `pi_${purchaseId.replaceAll('-', '').slice(0, 20)}`, object: 'payment_intent', status, amount: 999, currency: 'eur', created, metadata: { purchase_id: purchaseId }, ...extra } },
    });
  }

  it('R-PAY-4: a missing, forged, stale or future signature is 400 and nothing is stored', async () => {
    const before = await storedEvents();
    const payload = intentEvent(await inFlightPurchase(), 'payment_intent.succeeded', 'succeeded', 1);
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'missing'],
      [signed(payload, 'whsec_someone_else'), 'no_matching_signature'],
      [signed(payload, undefined, now - 310), 'timestamp_out_of_tolerance'],
      [signed(payload, undefined, now + 310), 'timestamp_out_of_tolerance'],
      ['t=abc,v1=00', 'malformed'],
      [signed(`${payload} `), 'no_matching_signature'],
    ];
    for (const [signature, reason] of cases) {
      // The last case signs other bytes than those sent: one space is enough.
      const response = await deliver(payload, signature);
      expect(response.statusCode, reason).toBe(400);
      expect(response.json(), reason).toMatchObject({ code: 'PSP_WEBHOOK_SIGNATURE_INVALID', reason });
    }
    expect(await storedEvents()).toBe(before);
  });

  it('R-PAY-4: the tolerance is ±300 s, inclusive, in both directions', () => {
    const body = Buffer.from('{}');
    const at = (timestamp: number) => Stripe.webhooks.generateTestHeaderString({ payload: '{}', secret: 'whsec_x', timestamp });
    const check = (timestamp: number) => verifyStripeSignature(body, at(timestamp), { secrets: ['whsec_x'], toleranceSeconds: 300, nowSeconds: 1_000_000 });
    expect(check(1_000_000 - 300)).toMatchObject({ valid: true });
    expect(check(1_000_000 + 300)).toMatchObject({ valid: true });
    expect(check(1_000_000 - 301)).toEqual({ valid: false, reason: 'timestamp_out_of_tolerance' });
    expect(check(1_000_000 + 301)).toEqual({ valid: false, reason: 'timestamp_out_of_tolerance' });
  });

  it('R-PAY-4: during a secret rotation both secrets verify, and any one of several v1 signatures may match', async () => {
    const payload = intentEvent(await inFlightPurchase(), 'payment_intent.created', 'requires_payment_method', Math.floor(Date.now() / 1000));
    expect((await deliver(payload, signed(payload, OLD_SECRET))).statusCode).toBe(200);
    const payload2 = intentEvent(await inFlightPurchase(), 'payment_intent.created', 'requires_payment_method', Math.floor(Date.now() / 1000));
    const timestamp = Math.floor(Date.now() / 1000);
    const good = signed(payload2, undefined, timestamp).split(',').find((part) => part.startsWith('v1='))!;
    expect((await deliver(payload2, `t=${timestamp},v1=${'0'.repeat(64)},${good}`)).statusCode).toBe(200);
  });

  it('R-PAY-4: an event delivered 5 times, out of order with stale ones, is applied once', async () => {
    const userId = randomUUID();
    const purchaseId = await inFlightPurchase(userId);
    const t = Math.floor(Date.now() / 1000);
    const created = intentEvent(purchaseId, 'payment_intent.created', 'requires_payment_method', t - 2);
    const processing = intentEvent(purchaseId, 'payment_intent.processing', 'processing', t - 1);
    const succeeded = intentEvent(purchaseId, 'payment_intent.succeeded', 'succeeded', t);
    const deliveries = [succeeded, processing, succeeded, created, succeeded, succeeded, processing, succeeded];
    const responses = await Promise.all(deliveries.map((payload) => deliver(payload, signed(payload))));
    for (const response of responses) expect(response.statusCode).toBe(200);
    expect(responses.filter((r) => r.json().outcome === 'succeeded')).toHaveLength(1);
    const [purchase] = await h.admin`select status from payments.purchases where id = ${purchaseId}`;
    expect(purchase!['status']).toBe('succeeded');
    const [journal] = await h.admin`select count(*)::int as n from payments.journal_transactions where source_key = ${`purchase:${purchaseId}`}`;
    expect(journal!['n']).toBe(1);
    const credits = await h.app.inject({ method: 'GET', url: '/v1/credits', headers: student(userId) });
    expect(credits.json().balance).toBe(10);
    const [stored] = await h.admin`select count(*)::int as n from payments.psp_events where object_id = ${JSON.parse(succeeded).data.object.id}`;
    expect(stored!['n']).toBe(3);
    // A late failure for a purchase that already succeeded changes nothing.
    const late = intentEvent(purchaseId, 'payment_intent.payment_failed', 'requires_payment_method', t - 5, { last_payment_error: { code: 'card_declined' } });
    expect((await deliver(late, signed(late))).json().outcome).toBe('unchanged');
  });

  it('R-PAY-4: the webhook and the synchronous confirm converge: whichever comes second changes nothing', async () => {
    const user = student();
    const key = randomUUID();
    // The charge succeeds at the PSP but its answer is lost: the synchronous path cannot finish.
    await h.control.faults({ timeoutAfterCharge: 1, timeoutMode: 'hang' });
    const lost = await h.app.inject({ method: 'POST', url: '/v1/purchases', headers: { ...user, 'idempotency-key': key, 'content-type': 'application/json' }, payload: { packageId: 'starter' } });
    await h.control.clearFaults();
    expect(lost.statusCode).toBe(503);
    const purchaseId = lost.json().purchaseId as string;
    // The PSP's webhook arrives first and settles the purchase …
    const t = Math.floor(Date.now() / 1000);
    const charges = (await h.control.charges(purchaseId)) as unknown as { data: Array<{ payment_intent: string }> };
    const event = JSON.stringify({
      id: `evt_${randomUUID().replaceAll('-', '')}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      created: t,
      data: { object: { id: charges.data[0]!.payment_intent, object: 'payment_intent', status: 'succeeded', amount: 999, currency: 'eur', created: t, metadata: { purchase_id: purchaseId } } },
    });
    expect((await deliver(event, signed(event))).json().outcome).toBe('succeeded');
    // … then the client's retry finds it done and answers 201 without a second grant.
    const retried = await h.app.inject({ method: 'POST', url: '/v1/purchases', headers: { ...user, 'idempotency-key': key, 'content-type': 'application/json' }, payload: { packageId: 'starter' } });
    expect(retried.statusCode).toBe(201);
    expect((await h.control.charges(purchaseId)).total).toBe(1);
    expect((await h.app.inject({ method: 'GET', url: '/v1/credits', headers: user })).json().balance).toBe(10);
  });
});
