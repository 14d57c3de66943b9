import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, journalTotals, post, startHarness, student, type Harness } from './support/harness.js';

describe('refunds, provider fees and payouts', () => {
  let h: Harness;
  const providerOrg = `org-${randomUUID()}`;
  beforeAll(async () => {
    h = await startHarness();
    await h.admin`insert into payments.credit_packages (id, name, credits, price_minor, currency, provider_org) values ('provider-pack', 'A provider bundle', 40, 10000, 'EUR', ${providerOrg})`;
  });
  afterAll(async () => {
    await h?.close();
  });

  const buy = async (user: Record<string, string>, packageId: string) => {
    const response = await post(h.app, '/v1/purchases', { headers: user, key: randomUUID(), body: { packageId } });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; amountMinor: number; credits: number };
  };
  const refund = (user: Record<string, string>, body: Record<string, unknown>, key: string = randomUUID()) => post(h.app, '/v1/refunds', { headers: user, key, body });
  const credits = async (user: Record<string, string>) => (await h.app.inject({ method: 'GET', url: '/v1/credits', headers: user })).json().balance as number;
  const balance = async (account: string, currency: string) => {
    const [row] = await h.admin`select (credits_minor - debits_minor)::int as b from payments.ledger_balances where account = ${account} and currency = ${currency}`;
    return row ? (row['b'] as number) : 0;
  };

  it('R-PAY-5: a full refund is paid back by the PSP and reversed in the ledger by a transaction that names the purchase', async () => {
    const user = student();
    const purchase = await buy(user, 'starter');
    const response = await refund(user, { purchaseId: purchase.id });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ purchaseId: purchase.id, amountMinor: 999, currency: 'EUR', creditsReversed: 10, status: 'succeeded' });
    expect(await credits(user)).toBe(0);
    const [reversal] = await h.admin`
      select r.kind, p.source_key as reverses from payments.journal_transactions r join payments.journal_transactions p on p.id = r.reverses_id
      where r.source_key = ${`refund:${response.json().id}`}`;
    expect(reversal).toMatchObject({ kind: 'refund', reverses: `purchase:${purchase.id}` });
    const charge = (await h.control.charges(purchase.id)) as unknown as { data: Array<{ amount_refunded: number }> };
    expect(charge.data[0]!.amount_refunded).toBe(999);
    const [events] = await h.admin`select count(*)::int as n from payments.outbox where type = 'payments.refund.completed.v1' and envelope->>'subject' = ${response.json().id}`;
    expect(events!['n']).toBe(1);
    const again = await refund(user, { purchaseId: purchase.id });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ code: 'REFUND_AMOUNT_TOO_LARGE', refundableMinor: 0 });
  });

  it('R-PAY-5: partial refunds take back credits by the cumulative rule and add up exactly to the purchase', async () => {
    const user = student();
    const purchase = await buy(user, 'premium'); // 60 credits for 3999
    const parts = [1000, 1333, 1666];
    const reversed: number[] = [];
    for (const amountMinor of parts) {
      const response = await refund(user, { purchaseId: purchase.id, amountMinor });
      expect(response.statusCode).toBe(201);
      reversed.push(response.json().creditsReversed);
    }
    expect(reversed).toEqual([15, 20, 25]); // ⌊60·1000/3999⌋, ⌊60·2333/3999⌋ − 15, 60 − 35
    expect(await credits(user)).toBe(0);
    expect((await refund(user, { purchaseId: purchase.id })).json()).toMatchObject({ code: 'REFUND_AMOUNT_TOO_LARGE' });
  });

  it('R-PAY-2: refunds are idempotent: replay, 422 on another body, 400 without key', async () => {
    const user = student();
    const purchase = await buy(user, 'standard');
    const key = randomUUID();
    const first = await refund(user, { purchaseId: purchase.id, amountMinor: 500 }, key);
    const replay = await refund(user, { purchaseId: purchase.id, amountMinor: 500 }, key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.rawPayload.equals(first.rawPayload)).toBe(true);
    expect((await refund(user, { purchaseId: purchase.id, amountMinor: 600 }, key)).json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const missing = await post(h.app, '/v1/refunds', { headers: user, body: { purchaseId: purchase.id } });
    expect(missing.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISSING' });
    const [refunds] = await h.admin`select count(*)::int as n from payments.refunds where purchase_id = ${purchase.id}`;
    expect(refunds!['n']).toBe(1);
  });

  it('R-PAY-5: only the buyer or an admin may refund a purchase', async () => {
    const purchase = await buy(student(), 'starter');
    expect((await refund(student(), { purchaseId: purchase.id })).statusCode).toBe(404);
    expect((await refund(admin(), { purchaseId: purchase.id, amountMinor: 100 })).statusCode).toBe(201);
  });

  it('R-PAY-5: a provider payment posts a 3% platform fee and a 97% provider payable, and emits provider_fee.captured', async () => {
    const user = student();
    const purchase = await buy(user, 'provider-pack');
    expect(await balance(`provider_payable:${providerOrg}`, 'EUR')).toBe(9700);
    const [fee] = await h.admin`
      select e.amount_minor::int as amount from payments.journal_entries e join payments.journal_transactions t on t.id = e.transaction_id
      where t.source_key = ${`purchase:${purchase.id}`} and e.account = 'platform_fee_revenue'`;
    expect(fee!['amount']).toBe(300);
    const [event] = await h.admin`select envelope->'data' as data from payments.outbox where type = 'payments.provider_fee.captured.v1' and envelope->>'subject' = ${purchase.id}`;
    expect(event!['data']).toEqual({ purchaseId: purchase.id, providerOrgId: providerOrg, grossMinor: 10000, feeMinor: 300, payableMinor: 9700, currency: 'EUR' });
  });

  it('R-PAY-5: payouts draw on the provider payable, never below zero, and form the provider’s payout ledger', async () => {
    const payout = (amountMinor: number, key = randomUUID(), who = admin()) =>
      post(h.app, '/v1/payouts', { headers: who, key, body: { providerOrg, amountMinor, currency: 'EUR', reference: 'SEPA-1' } });
    expect((await payout(100, randomUUID(), student())).statusCode).toBe(403);
    const first = await payout(5000);
    expect(first.statusCode).toBe(201);
    expect(await balance(`provider_payable:${providerOrg}`, 'EUR')).toBe(4700);
    const tooMuch = await payout(5000);
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json()).toMatchObject({ code: 'PAYOUT_EXCEEDS_PAYABLE', payableMinor: 4700 });
    // Two concurrent payouts of the whole remainder: one wins, the database refuses the other.
    const racing = await Promise.all([payout(4700), payout(4700)]);
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await balance(`provider_payable:${providerOrg}`, 'EUR')).toBe(0);
    const ledger = await h.app.inject({ method: 'GET', url: '/v1/provider/payouts', headers: { ...student(randomUUID(), ['provider']), 'x-bursary-provider-org': providerOrg } });
    expect(ledger.statusCode).toBe(200);
    expect(ledger.json().payable).toEqual([{ currency: 'EUR', balanceMinor: 0 }]);
    expect(ledger.json().payouts.map((p: { amountMinor: number }) => p.amountMinor)).toEqual([4700, 5000]);
  });

  it('R-PAY-5: a refund whose provider share was already paid out is refused (the payable never goes negative)', async () => {
    const user = student();
    const purchase = await buy(user, 'provider-pack');
    await post(h.app, '/v1/payouts', { headers: admin(), key: randomUUID(), body: { providerOrg, amountMinor: 9700, currency: 'EUR' } });
    const response = await refund(user, { purchaseId: purchase.id });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'REFUND_PAYABLE_PAID_OUT' });
  });

  it('R-PAY-7: Σ debits = Σ credits over the whole journal after refunds and payouts', async () => {
    for (const total of await journalTotals(h.admin)) expect(total.debits, total.currency).toBe(total.credits);
  });
});
