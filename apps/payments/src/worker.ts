import { ConfigError } from '@bursary/config';
import { startService } from '@bursary/service-kit';
import { loadPaymentsConfig } from './config.js';
import { runReconcileCommand } from './worker/reconcile-command.js';
import { buildWorkerApp } from './worker/worker-app.js';

// `node dist/worker.js`: the payments worker (BullMQ). `node dist/worker.js reconcile`: one reconciliation on demand.
if (process.argv[2] === 'reconcile') {
  const code = await runReconcileCommand(process.env).catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `reconcile failed: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  });
  process.exit(code);
} else {
  await startService({ env: process.env, loadConfig: loadPaymentsConfig, buildApp: buildWorkerApp });
}
