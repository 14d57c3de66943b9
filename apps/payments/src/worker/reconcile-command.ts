import type { Env } from '@bursary/config';
import { loadQueueConfig } from '../config.js';
import type { ReconciliationOutcome } from '../modules/reconciliation/reconciler.js';
import { bullConnection, JobName, openQueue, openQueueEvents } from './payments-jobs.js';
import { queueSettings } from './worker-app.js';

const WAIT_MS = 120_000;

/**
 * `node dist/worker.js reconcile` (R-EVT-3, on demand): queues a
 * reconciliation for the running workers, waits for its report and prints
 * it. Exit 0 when everything matched with no duplicate and a balanced
 * ledger, 1 otherwise, 2 when no worker answered.
 */
export async function runReconcileCommand(env: Env): Promise<number> {
  const config = loadQueueConfig(env);
  const settings = queueSettings(config);
  const connection = bullConnection(config.REDIS_URL, 'payments-reconcile-cli');
  const eventsConnection = bullConnection(config.REDIS_URL, 'payments-reconcile-cli-events');
  const queue = openQueue(settings, connection);
  const events = openQueueEvents(settings, eventsConnection);
  try {
    await events.waitUntilReady();
    const job = await queue.add(JobName.reconcile, { trigger: 'cli' }, { attempts: 1 });
    let outcome: ReconciliationOutcome;
    try {
      outcome = (await job.waitUntilFinished(events, WAIT_MS)) as ReconciliationOutcome;
    } catch (error) {
      process.stderr.write(`reconciliation did not finish within ${WAIT_MS / 1000} s (is the payments worker running?): ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
    if (!outcome.ran) {
      process.stderr.write('another reconciliation run is in progress; try again when it finished\n');
      return 2;
    }
    process.stdout.write(`${JSON.stringify(outcome.report, null, 2)}\n`);
    const { report } = outcome;
    return report.matchRatio === 1 && report.duplicates === 0 && report.ledgerBalanced ? 0 : 1;
  } finally {
    await events.close();
    await queue.close();
    connection.disconnect();
    eventsConnection.disconnect();
  }
}
