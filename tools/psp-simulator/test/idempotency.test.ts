import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorControl, type PspSimulator } from '../src/index.js';
import { rawStripe, startTestSimulator, stripeClient, testKey } from './support/simulator.js';

let simulator: PspSimulator;

beforeAll(async () => {
  simulator = await startTestSimulator();
});
afterAll(() => simulator.close());

const purchase = { amount: '2500', currency: 'usd', confirm: 'true', payment_method: 'pm_card_visa', 'allowed_payment_method_types[0]': 'card', 'metadata[purchase_id]': 'p-1' };

async function chargesFor(key: string, idempotencyKey: string): Promise<number> {
  return (await simulatorControl(simulator.url, key).charges({ idempotencyKey })).total;
}

describe('Idempotency-Key, as Stripe', () => {
  it('R-PAY-1: the same key and parameters replay the saved answer byte for byte (Idempotent-Replayed: true) and charge once', async () => {
    const key = testKey();
    const idempotencyKey = randomUUID();
    const first = await rawStripe(simulator, key, 'POST', '/v1/payment_intents', purchase, idempotencyKey);
    const second = await rawStripe(simulator, key, 'POST', '/v1/payment_intents', { ...purchase }, idempotencyKey);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('original-request')).toBe(first.headers.get('request-id'));
    expect(second.text).toBe(first.text);
    expect(await chargesFor(key, idempotencyKey)).toBe(1);

    const stripe = stripeClient(simulator, key);
    const params = { amount: 2500, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', allowed_payment_method_types: ['card' as const], metadata: { purchase_id: 'p-1' } };
    const viaClient = await stripe.paymentIntents.create(params, { idempotencyKey });
    expect(viaClient.id).toBe((JSON.parse(first.text) as { id: string }).id);
    expect(viaClient.lastResponse.headers['idempotent-replayed']).toBe('true');
  });

  it('R-PAY-1: the same key with other parameters or on another endpoint is a 400 idempotency_error and charges nothing', async () => {
    const key = testKey();
    const stripe = stripeClient(simulator, key);
    const idempotencyKey = randomUUID();
    const params = { amount: 2500, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', allowed_payment_method_types: ['card' as const] };
    await stripe.paymentIntents.create(params, { idempotencyKey });
    const other = await stripe.paymentIntents.create({ ...params, amount: 9900 }, { idempotencyKey }).catch((error: unknown) => error);
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(other).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
    const elsewhere = await stripe.refunds.create({ payment_intent: 'pi_x' }, { idempotencyKey }).catch((error: unknown) => error);
    expect(elsewhere).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((elsewhere as Error).message).toContain("'POST /v1/payment_intents' vs 'POST /v1/refunds'");
    expect(await chargesFor(key, idempotencyKey)).toBe(1);
  });

  it('R-PAY-1: a second request while the first is in flight gets 409 idempotency_key_in_use; the client retries into the replay', async () => {
    const key = testKey();
    await simulatorControl(simulator.url, key).addFault({ latencyMs: 400, requests: 1 });
    const idempotencyKey = randomUUID();
    // The first to arrive holds the key for the injected 400 ms; the other finds it in flight.
    const answers = await Promise.all([1, 2].map(() => rawStripe(simulator, key, 'POST', '/v1/payment_intents', purchase, idempotencyKey)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const conflict = answers.find((answer) => answer.status === 409);
    expect(JSON.parse(conflict?.text ?? '{}')).toMatchObject({ error: { code: 'idempotency_key_in_use', type: 'invalid_request_error' } });
    expect(conflict?.headers.get('stripe-should-retry')).toBe('true');

    await simulatorControl(simulator.url, key).addFault({ latencyMs: 300, requests: 1 });
    const retrying = stripeClient(simulator, key, { maxNetworkRetries: 5 });
    const again = randomUUID();
    const params = { amount: 2500, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', allowed_payment_method_types: ['card' as const] };
    const [a, b] = await Promise.all([retrying.paymentIntents.create(params, { idempotencyKey: again }), retrying.paymentIntents.create(params, { idempotencyKey: again })]);
    expect(a.id).toBe(b.id);
    expect(await chargesFor(key, again)).toBe(1);
  });

  it('keys are scoped per API key: another key may use the same one for its own payment', async () => {
    const idempotencyKey = randomUUID();
    const [mine, theirs] = [testKey(), testKey()];
    const a = JSON.parse((await rawStripe(simulator, mine, 'POST', '/v1/payment_intents', purchase, idempotencyKey)).text) as { id: string };
    const b = JSON.parse((await rawStripe(simulator, theirs, 'POST', '/v1/payment_intents', purchase, idempotencyKey)).text) as { id: string };
    expect(a.id).not.toBe(b.id);
  });

  it('a request that fails validation saves nothing: the key may be used again with valid parameters', async () => {
    const key = testKey();
    const idempotencyKey = randomUUID();
    const invalid = await rawStripe(simulator, key, 'POST', '/v1/payment_intents', { amount: '2500' }, idempotencyKey);
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.text)).toMatchObject({ error: { code: 'parameter_missing', param: 'currency', type: 'invalid_request_error' } });
    const valid = await rawStripe(simulator, key, 'POST', '/v1/payment_intents', purchase, idempotencyKey);
    expect(valid.status).toBe(200);
    expect(valid.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a decline is saved and replayed like any result that began executing', async () => {
    const key = testKey();
    const idempotencyKey = randomUUID();
    const declined = { ...purchase, payment_method: 'pm_card_chargeDeclined' };
    const first = await rawStripe(simulator, key, 'POST', '/v1/payment_intents', declined, idempotencyKey);
    const second = await rawStripe(simulator, key, 'POST', '/v1/payment_intents', declined, idempotencyKey);
    expect([first.status, second.status]).toEqual([402, 402]);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('keys longer than 255 characters are refused; GET ignores the header', async () => {
    const key = testKey();
    const long = await rawStripe(simulator, key, 'POST', '/v1/payment_intents', purchase, 'k'.repeat(256));
    expect(long.status).toBe(400);
    expect(JSON.parse(long.text)).toMatchObject({ error: { type: 'idempotency_error' } });
    const list = await rawStripe(simulator, key, 'GET', '/v1/payment_intents', undefined, 'whatever');
    expect(list.status).toBe(200);
  });

  it('once a key is forgotten (after 24 h, or now through POST /_sim/idempotency/expire) the same request charges again, which is why the purchase id must be unique in our own database', async () => {
    const key = testKey();
    const idempotencyKey = randomUUID();
    await rawStripe(simulator, key, 'POST', '/v1/payment_intents', purchase, idempotencyKey);
    expect(await simulatorControl(simulator.url, key).expireIdempotencyKeys()).toBe(1);
    await rawStripe(simulator, key, 'POST', '/v1/payment_intents', purchase, idempotencyKey);
    expect(await chargesFor(key, idempotencyKey)).toBe(2);
  });
});
