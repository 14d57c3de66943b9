import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { waitFor } from '@bursary/testing';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ledgerTotals, startPaymentsStack, type PaymentsStack } from '../support/payments-stack.js';

// Money chaos (R-PAY-7, R-PAY-6, R-PAY-2, R-PAY-4): the compiled payments
// service and its worker as real processes, the PSP simulator injecting
// faults, and the database as the only judge of what happened.
describe('money under chaos', () => {
  let stack: PaymentsStack;

  beforeAll(async () => {
    stack = await startPaymentsStack({ worker: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  afterEach(async () => {
    await stack.psp.clearFaults();
    // Σ debits = Σ credits over the whole ledger after every scenario.
    for (const total of await ledgerTotals(stack.admin)) expect(total.debits, `ledger balance in ${total.currency}`).toBe(total.credits);
  });

  /** A purchase as the gateway forwards it: the verified user in the identity headers. */
  const purchase = (userId: string, key: string, packageId = 'starter') =>
    fetch(`${stack.payments.url}/v1/purchases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key, 'x-bursary-user-id': userId, 'x-bursary-roles': '' },
      body: JSON.stringify({ packageId }),
    });
  const count = async (query: postgres.PendingQuery<postgres.Row[]>) => Number((await query)[0]!['n']);

  it('R-PAY-7: 1,000 concurrent identical purchases make one PSP charge and one journal transaction; every answer is the 201, byte-identical, or 409', { timeout: 120_000 }, async () => {
    const userId = randomUUID();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 1000 }, async () => {
        const response = await purchase(userId, key);
        return { status: response.status, body: await response.text(), replayed: response.headers.get('idempotent-replayed') };
      }),
    );
    const created = answers.filter((answer) => answer.status === 201);
    const inUse = answers.filter((answer) => answer.status === 409);
    console.log(`1,000 identical purchases: ${created.length} × 201 (${created.filter((a) => a.replayed === 'true').length} replays), ${inUse.length} × 409`);
    const others = answers.filter((answer) => answer.status !== 201 && answer.status !== 409);
    expect(created.length + inUse.length, JSON.stringify(others.slice(0, 3))).toBe(1000);
    expect(new Set(created.map((answer) => answer.body)).size).toBe(1);
    for (const answer of inUse) expect(JSON.parse(answer.body)).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
    const purchaseId = JSON.parse(created[0]!.body).id as string;
    expect((await stack.psp.charges()).by_idempotency_key[purchaseId]).toBe(1);
    expect(await count(stack.admin`select count(*) as n from payments.purchases where user_id = ${userId}`)).toBe(1);
    expect(await count(stack.admin`select count(*) as n from payments.journal_transactions where source_key = ${`purchase:${purchaseId}`}`)).toBe(1);

    // R-PAY-2: the same key with another amount is 422 and never reaches the PSP.
    const chargesBefore = (await stack.psp.charges()).total;
    const reused = await purchase(userId, key, 'premium');
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await stack.psp.charges()).total).toBe(chargesBefore);
  });

  it('R-PAY-6: kill -9 of payments and of its worker during 500 purchases with PSP timeouts injected: after restart 0 duplicates and 100% reconciled', { timeout: 240_000 }, async () => {
    // A fifth of the clients give up after their first answer, whatever it was: the worker must finish those.
    const orders = Array.from({ length: 500 }, (_, index) => ({ userId: randomUUID(), key: randomUUID(), clientRetries: index % 5 !== 0 }));
    const outcome = new Map<string, number | 'lost'>();
    const final = (status: number | 'lost' | undefined) => status === 201 || status === 402;
    await stack.psp.faults({ latencyMs: 20 });
    await stack.psp.faults({ timeoutAfterCharge: 40, timeoutMode: 'hang' });
    await stack.psp.faults({ failNext5xx: 40, match: { path: '/v1/payment_intents' } });

    let finished = 0;
    let lostAnswers = 0;
    const kills: Array<Promise<void>> = [];
    const chaos = () => {
      finished++;
      if (finished === 120) kills.push(stack.payments.kill().then(() => stack.restartPayments()));
      if (finished === 250) kills.push(stack.worker!.kill().then(() => stack.startWorker()));
    };
    /** One buyer: retries with the same key (after a short client back-off) until a final answer, or gives up. */
    const client = async (order: (typeof orders)[number]) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        let status: number | 'lost';
        try {
          const response = await purchase(order.userId, order.key);
          await response.arrayBuffer();
          status = response.status;
        } catch {
          status = 'lost';
        }
        outcome.set(order.key, status);
        if (status === 'lost' || status >= 500) lostAnswers++;
        if (final(status) || !order.clientRetries) break;
        await delay(100 + Math.random() * 200);
      }
      chaos();
    };
    const queue = [...orders];
    await Promise.all(
      Array.from({ length: 40 }, async () => {
        for (let order = queue.shift(); order; order = queue.shift()) await client(order);
      }),
    );
    await Promise.all(kills);
    await stack.psp.clearFaults();
    console.log(`500 purchases under chaos: ${lostAnswers} answers lost or 5xx; payments killed after 120 buyers, the worker after 250`);
    expect(kills).toHaveLength(2);
    expect(orders.every((order) => !order.clientRetries || final(outcome.get(order.key)))).toBe(true);

    // Nothing stays in flight: the worker recovers what no client came back for.
    await waitFor(async () => (await count(stack.admin`select count(*) as n from payments.purchases where status = 'created'`)) === 0, {
      what: 'recovery of every in-flight purchase',
      timeoutMs: 60_000,
      intervalMs: 250,
    });

    const charges = await stack.psp.charges();
    expect(Object.values(charges.by_idempotency_key).filter((n) => n > 1)).toEqual([]);
    const succeeded = await count(stack.admin`select count(*) as n from payments.purchases where status = 'succeeded'`);
    expect(charges.total).toBe(succeeded);
    expect(await count(stack.admin`select count(*) as n from payments.journal_transactions where kind = 'purchase'`)).toBe(succeeded);
    for (const order of orders.filter((candidate) => outcome.get(candidate.key) === 201)) {
      expect(await count(stack.admin`select count(*) as n from payments.purchases where user_id = ${order.userId} and status = 'succeeded'`)).toBe(1);
    }
    const run = await stack.reconcile();
    expect(run.exitCode, run.output).toBe(0);
    expect(run.report).toMatchObject({ matchRatio: 1, duplicates: 0, ledgerBalanced: true });
    console.log(`reconciliation after the chaos: ${JSON.stringify(run.report!.counts)}`);
  });

  it('R-PAY-4: webhooks delivered 5 times and out of order are applied once', async () => {
    await stack.psp.faults({ duplicateWebhooks: 4, outOfOrderWebhooks: true, outOfOrderWindowMs: 300 });
    const userId = randomUUID();
    const response = await purchase(userId, randomUUID(), 'standard');
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const [row] = await stack.admin`select psp_payment_intent_id as intent from payments.purchases where id = ${id}`;
    const deliveries = await waitFor(
      async () => {
        const all = await stack.psp.deliveries({ type: 'payment_intent.succeeded' });
        const ours = await stack.admin`select id from payments.psp_events where object_id = ${row!['intent']} and type = 'payment_intent.succeeded'`;
        const mine = all.filter((delivery) => delivery.event === ours[0]?.['id']);
        return mine.length >= 5 && mine.every((delivery) => delivery.status === 'succeeded') ? mine : undefined;
      },
      { what: 'five deliveries of payment_intent.succeeded', timeoutMs: 15_000 },
    );
    expect(deliveries.length).toBe(5);
    expect(await count(stack.admin`select count(*) as n from payments.journal_transactions where source_key = ${`purchase:${id}`}`)).toBe(1);
    expect(await count(stack.admin`select count(*) as n from payments.psp_events where object_id = ${row!['intent']} and type = 'payment_intent.succeeded'`)).toBe(1);
    const [credits] = await stack.admin`select (credits_minor - debits_minor)::int as held from payments.ledger_balances where account = ${`student_credits:${userId}`}`;
    expect(credits!['held']).toBe(25);
  });

  it('R-PAY-3: ledger tampering by the service role is refused', async () => {
    const service = postgres(stack.serviceRoleUrl, { max: 1, onnotice: () => undefined });
    try {
      await expect(service`update payments.journal_entries set amount_minor = amount_minor + 1`).rejects.toMatchObject({ code: '42501' });
      await expect(service`delete from payments.journal_transactions`).rejects.toMatchObject({ code: '42501' });
      await expect(service`truncate payments.journal_entries`).rejects.toMatchObject({ code: '42501' });
      await expect(service`update payments.ledger_balances set credits_minor = credits_minor + 1000`).rejects.toMatchObject({ code: '42501' });
      await expect(service`alter table payments.journal_entries disable trigger all`).rejects.toMatchObject({ code: '42501' });
    } finally {
      await service.end();
    }
  });

  it('R-EVT-3: the payments worker and service shut down gracefully on SIGTERM (exit 0)', async () => {
    expect(await stack.worker!.stop()).toBe(0);
    expect(await stack.payments.stop()).toBe(0);
  });
});
