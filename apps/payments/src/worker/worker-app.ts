import { buildService, loadSheddingOptions, registerDataPlatform, type ServiceInstance } from '@bursary/service-kit';
import type { Job } from 'bullmq';
import type { PaymentsConfig, QueueConfig } from '../config.js';
import type { PaymentsDb } from '../db/database.js';
import * as schema from '../db/schema.js';
import { pspFromConfig } from '../modules/psp/psp-client.js';
import { createReconciler } from '../modules/reconciliation/reconciler.js';
import { reconciliationMetrics } from '../modules/reconciliation/reconciliation-metrics.js';
import { createRecovery } from '../modules/recovery/recovery.js';
import { createPaymentsCore } from '../payments-core.js';
import { bullConnection, JobName, openQueue, scheduleJobs, startJobWorker, type JobData, type QueueSettings } from './payments-jobs.js';

export function queueSettings(config: QueueConfig): QueueSettings {
  return { redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, queueName: config.QUEUE_NAME };
}

/**
 * The payments worker process (R-EVT-3, R-PAY-6): BullMQ jobs for
 * reconciliation (at start, on a schedule, on demand), recovery of in-flight
 * purchases and refunds, and the idempotency-key purge; /healthz, /readyz
 * (postgres, nats, redis) and metrics like every service. SIGTERM lets the
 * running job finish, then closes the queue, Redis, the PSP client and the pool.
 */
export async function buildWorkerApp(config: PaymentsConfig): Promise<ServiceInstance> {
  const app = await buildService({
    name: 'payments-worker',
    description: 'Payments worker: reconciliation with the PSP, recovery of in-flight payments, idempotency-key purge.',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    loadShedding: loadSheddingOptions(config),
  });
  await registerDataPlatform(app, { config, service: 'payments-worker', schema, outbox: schema.outbox });

  const db = app.database.db as PaymentsDb;
  const psp = pspFromConfig(config);
  const log = app.log.child({ component: 'payments-worker' });
  const core = createPaymentsCore(config, db, psp, log);
  const reconciler = createReconciler({ db, sql: app.database.sql, psp, windowMs: config.RECONCILE_WINDOW_MS, metrics: reconciliationMetrics(app.serviceMetrics.registry) });
  const recovery = createRecovery({ db, purchases: core.purchases, refunds: core.refunds, log, leaseMs: config.PURCHASE_LEASE_MS });

  const process = async (job: Job<JobData, unknown, JobName>): Promise<unknown> => {
    switch (job.name) {
      case JobName.reconcile: {
        const outcome = await reconciler.run(job.data.trigger);
        if (outcome.ran) {
          const { report } = outcome;
          const level = report.matchRatio === 1 && report.duplicates === 0 && report.ledgerBalanced ? 'info' : 'error';
          log[level]({ trigger: report.trigger, counts: report.counts, matchRatio: report.matchRatio, ledgerBalanced: report.ledgerBalanced }, 'reconciliation finished');
        }
        return outcome;
      }
      case JobName.recover: {
        const result = await recovery.run();
        if (Object.keys(result.purchases).length + Object.keys(result.refunds).length > 0) log.info({ ...result }, 'recovery finished');
        return result;
      }
      case JobName.purgeIdempotencyKeys:
        return { purged: await core.store.purgeExpired() };
    }
  };

  const settings = queueSettings(config);
  const queueConnection = bullConnection(config.REDIS_URL, 'payments-queue');
  const workerConnection = bullConnection(config.REDIS_URL, 'payments-worker');
  app.readiness.add('redis', async () => {
    await queueConnection.ping();
  });

  let stop: (() => Promise<void>) | undefined;
  // Started in the background once the app is up: a Redis outage delays the jobs, never the boot.
  let starting: Promise<void> | undefined;
  app.addHook('onReady', async () => {
    starting = (async () => {
      const queue = openQueue(settings, queueConnection);
      await scheduleJobs(queue, { reconcile: config.RECONCILE_EVERY_MS, recover: config.RECOVER_EVERY_MS, 'purge-idempotency-keys': config.PURGE_EVERY_MS });
      // At start: finish what a crash left in flight, then reconcile (one job at a time, in this order).
      await queue.add(JobName.recover, { trigger: 'startup' });
      await queue.add(JobName.reconcile, { trigger: 'startup' });
      const worker = startJobWorker(settings, workerConnection, process);
      worker.on('failed', (job, error) => log.error({ job: job?.name, attempts: job?.attemptsMade, err: error.message }, 'payments job failed'));
      worker.on('error', (error) => log.error({ err: error.message }, 'payments worker error'));
      stop = async () => {
        await worker.close();
        await queue.close();
      };
    })().catch((error: unknown) => log.error({ err: error instanceof Error ? error.message : String(error) }, 'payments jobs did not start'));
  });
  app.addHook('preClose', async () => {
    // The running job finishes first; a start still waiting for Redis is cut short by the disconnect.
    await stop?.();
    queueConnection.disconnect();
    workerConnection.disconnect();
    await starting;
    psp.close();
  });
  return app;
}
