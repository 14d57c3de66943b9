export { startPspSimulator, DEFAULT_API_VERSION, DEFAULT_WEBHOOK_SECRET, type PspSimulator, type PspSimulatorOptions } from './simulator.js';
export { simulatorControl, type SimulatorControl, type ChargeQuery, type DeliveryQuery } from './control/control-client.js';
export { stripeSignatureHeader } from './webhooks/signature.js';
export type { FaultSpec } from './faults/fault-spec.js';
export type { FaultRule } from './faults/fault-rules.js';
export type { ChargeReport, ChargeReportEntry } from './control/charge-report.js';
export type { Delivery, DeliveryAttempt } from './webhooks/webhook-dispatcher.js';
