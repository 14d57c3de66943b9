import { startService } from '@bursary/service-kit';
import { loadPaymentsConfig } from './config.js';
import { runReconcileCommand } from './worker/reconcile-command.js';
import { buildWorkerApp } from './worker/worker-app.js';

// `node dist/worker.js`: the payments worker (BullMQ). `node dist/worker.js reconcile`: one reconciliation on demand.
if (process.argv[2] === 'reconcile') {
  process.exit(await runReconcileCommand(process.env));
} else {
  await startService({ env: process.env, loadConfig: loadPaymentsConfig, buildApp: buildWorkerApp });
}
