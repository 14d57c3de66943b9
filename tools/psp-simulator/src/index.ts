export { startPspSimulator, DEFAULT_API_VERSION, DEFAULT_WEBHOOK_SECRET, type PspSimulator, type PspSimulatorOptions } from './simulator.js';
export { stripeSignatureHeader } from './webhooks/signature.js';
export type { FaultSpec } from './faults/fault-spec.js';
export type { ChargeReport, ChargeReportEntry } from './control/charge-report.js';
export type { Delivery, DeliveryAttempt } from './webhooks/webhook-dispatcher.js';
