import { startService } from '@bursary/service-kit';
import { buildApp } from './app.js';
import { loadPaymentsConfig } from './config.js';

await startService({ env: process.env, loadConfig: loadPaymentsConfig, buildApp });
