import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReconciliationReport } from './reconciler.js';

/** The figures of R-PAY-7, from the last reconciliation run. */
export function reconciliationMetrics(registry: Registry) {
  const matchRatio = new Gauge({
    name: 'reconciliation_match_ratio',
    help: 'Share of our purchases and refunds that matched the PSP in the last reconciliation run (1 = 100% reconciled)',
    registers: [registry],
  });
  const duplicates = new Gauge({
    name: 'payments_duplicates_total',
    help: 'Duplicate PSP payments or refunds (money moved twice for one of ours) found by the last reconciliation run; must be 0',
    registers: [registry],
  });
  const issues = new Gauge({
    name: 'reconciliation_issues',
    help: 'Records that did not match in the last run, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const ledgerBalanced = new Gauge({ name: 'ledger_balanced', help: '1 when Σ debits = Σ credits in every currency of the journal', registers: [registry] });
  const runs = new Counter({ name: 'reconciliation_runs_total', help: 'Reconciliation runs by trigger', labelNames: ['trigger'] as const, registers: [registry] });
  const lastRun = new Gauge({ name: 'reconciliation_last_run_timestamp_seconds', help: 'When the last reconciliation run finished', registers: [registry] });
  return {
    record(report: ReconciliationReport): void {
      matchRatio.set(report.matchRatio);
      duplicates.set(report.duplicates);
      issues.set({ kind: 'missing_here' }, report.counts.missingHere);
      issues.set({ kind: 'missing_at_psp' }, report.counts.missingAtPsp);
      issues.set({ kind: 'amount_mismatch' }, report.counts.amountMismatch);
      issues.set({ kind: 'duplicate' }, report.counts.duplicates);
      ledgerBalanced.set(report.ledgerBalanced ? 1 : 0);
      runs.inc({ trigger: report.trigger });
      lastRun.set(Date.parse(report.finishedAt) / 1000);
    },
  };
}

export type ReconciliationMetrics = ReturnType<typeof reconciliationMetrics>;
