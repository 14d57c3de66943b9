import { randomUUID } from 'node:crypto';
import type { ServiceInstance } from '@bursary/service-kit';
import { waitFor } from '@bursary/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPaymentsConfig } from '../src/config.js';
import type { ReconciliationReport } from '../src/modules/reconciliation/reconciler.js';
import { runReconcileCommand } from '../src/worker/reconcile-command.js';
import { buildWorkerApp } from '../src/worker/worker-app.js';
import { journalTotals, post, startHarness, student, type Harness } from './support/harness.js';

describe('the payments worker', () => {
  let h: Harness;
  let worker: ServiceInstance;
  let stripe: Stripe;
  const env = (extra: Record<string, string> = {}) => ({ ...h.env, RECOVER_EVERY_MS: '300', RECONCILE_EVERY_MS: '86400000', PURGE_EVERY_MS: '86400000', ...extra });

  beforeAll(async () => {
    // Short leases, no PSP retries: what a crash leaves behind is quickly recoverable here.
    h = await startHarness({ env: { PURCHASE_LEASE_MS: '1500', IDEMPOTENCY_LEASE_MS: '1500', PSP_MAX_NETWORK_RETRIES: '0', PSP_TIMEOUT_MS: '400' } });
    stripe = new Stripe(h.apiKey, { host: h.sim.host, port: h.sim.port, protocol: 'http' });
  });
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  const status = async (purchaseId: string) => (await h.admin`select status from payments.purchases where id = ${purchaseId}`)[0]?.['status'] as string;
  const latestReport = async () => (await h.admin`select report from payments.reconciliation_runs order by started_at desc limit 1`)[0]?.['report'] as ReconciliationReport | undefined;

  it('R-PAY-6: in-flight purchases whose lease expired are finished or voided exactly once after a crash', async () => {
    // (a) charged at the PSP, the answer lost: the process "crashed" before recording it.
    await h.control.faults({ timeoutAfterCharge: 1, timeoutMode: 'hang' });
    const lost = await post(h.app, '/v1/purchases', { headers: student(), key: randomUUID(), body: { packageId: 'starter' } });
    await h.control.clearFaults();
    expect(lost.statusCode).toBe(503);
    const charged = lost.json().purchaseId as string;
    // (b) stored, never sent to the PSP (crash between phase 1 and the PSP call).
    const neverSent = randomUUID();
    await h.admin`insert into payments.purchases (id, user_id, package_id, credits, amount_minor, currency, payment_method, lease_until)
                  values (${neverSent}, ${randomUUID()}, 'standard', 25, 1999, 'EUR', 'pm_card_visa', now() - interval '1 second')`;
    // (c) waiting for a 3-D Secure step nobody will complete.
    const stuck = await post(h.app, '/v1/purchases', { headers: student(), key: randomUUID(), body: { packageId: 'starter', paymentMethod: 'pm_card_authenticationRequired' } });
    expect(stuck.statusCode).toBe(202);
    const stuckId = stuck.json().id as string;

    worker = await buildWorkerApp(loadPaymentsConfig(env()));
    await worker.ready();
    await waitFor(async () => (await status(charged)) === 'succeeded' && (await status(neverSent)) === 'succeeded' && (await status(stuckId)) === 'canceled', {
      what: 'recovery of the three purchases',
      timeoutMs: 20_000,
    });
    expect((await h.control.charges(charged)).total).toBe(1);
    expect((await h.control.charges(neverSent)).total).toBe(1);
    expect((await h.control.charges(stuckId)).total).toBe(0);
    const [posted] = await h.admin`select count(*)::int as n from payments.journal_transactions where source_key in (${`purchase:${charged}`}, ${`purchase:${neverSent}`}, ${`purchase:${stuckId}`})`;
    expect(posted!['n']).toBe(2);
  });

  it('R-PAY-6: the startup reconciliation reports 100% matched and 0 duplicates once recovery is done', async () => {
    const exit = await runReconcileCommand(env());
    const report = await latestReport();
    expect(exit, JSON.stringify(report?.issues)).toBe(0);
    expect(report).toMatchObject({ trigger: 'cli', matchRatio: 1, duplicates: 0, ledgerBalanced: true });
    expect(report!.counts.matched).toBeGreaterThanOrEqual(3);
    const text = await worker.serviceMetrics.registry.metrics();
    expect(text).toMatch(/^reconciliation_match_ratio(\{[^}]*\})? 1$/m);
    expect(text).toMatch(/^payments_duplicates_total(\{[^}]*\})? 0$/m);
  });

  it('R-PAY-7: reconciliation finds money the PSP moved that we did not record, and duplicate charges', async () => {
    const user = student();
    const bought = await post(h.app, '/v1/purchases', { headers: user, key: randomUUID(), body: { packageId: 'starter' } });
    const purchaseId = bought.json().id as string;
    const charge = (metadata: Record<string, string>) =>
      stripe.paymentIntents.create({ amount: 999, currency: 'eur', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: { enabled: true, allow_redirects: 'never' }, metadata });
    await charge({ purchase_id: purchaseId }); // a second charge for one purchase
    await charge({ purchase_id: randomUUID() }); // a charge for no purchase of ours
    expect(await runReconcileCommand(env())).toBe(1);
    const report = (await latestReport())!;
    expect(report.duplicates).toBe(1);
    expect(report.counts.missingHere).toBe(1);
    expect(report.matchRatio).toBeLessThan(1);
    expect(report.issues.map((issue) => issue.kind).sort()).toEqual(['duplicate', 'missing_here']);
    expect(await worker.serviceMetrics.registry.metrics()).toMatch(/^payments_duplicates_total(\{[^}]*\})? 1$/m);
  });

  it('R-EVT-3: expired idempotency keys are purged; live ones and the business rows stay', async () => {
    const user = student();
    const key = randomUUID();
    const bought = await post(h.app, '/v1/purchases', { headers: user, key, body: { packageId: 'starter' } });
    await h.admin`update payments.idempotency_keys set expires_at = now() - interval '1 second' where key = ${key}`;
    const [before] = await h.admin`select count(*)::int as n from payments.idempotency_keys`;
    const purgeWorker = await buildWorkerApp(loadPaymentsConfig(env({ PURGE_EVERY_MS: '200' })));
    await purgeWorker.ready();
    try {
      await waitFor(async () => (await h.admin`select 1 from payments.idempotency_keys where key = ${key}`).length === 0, { what: 'the purge' });
    } finally {
      await purgeWorker.close();
    }
    const [after] = await h.admin`select count(*)::int as n from payments.idempotency_keys`;
    expect(after!['n']).toBe((before!['n'] as number) - 1);
    expect(await status(bought.json().id)).toBe('succeeded');
  });

  it('R-EVT-3: one reconciliation at a time: a concurrent run is refused while the advisory lock is held', async () => {
    const connection = await h.serviceRole.reserve();
    const [lock] = await connection`select pg_try_advisory_lock(hashtext('payments:reconciliation')) as locked`;
    expect(lock!['locked']).toBe(true);
    try {
      expect(await runReconcileCommand(env())).toBe(2);
    } finally {
      await connection`select pg_advisory_unlock(hashtext('payments:reconciliation'))`;
      connection.release();
    }
  });

  it('R-PAY-7: Σ debits = Σ credits after recovery', async () => {
    for (const total of await journalTotals(h.admin)) expect(total.debits, total.currency).toBe(total.credits);
  });
});
