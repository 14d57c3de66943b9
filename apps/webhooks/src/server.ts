import { startService } from '@bursary/service-kit';
import { buildApp } from './app.js';
import { loadWebhooksConfig } from './config.js';

await startService({ env: process.env, loadConfig: loadWebhooksConfig, buildApp });
