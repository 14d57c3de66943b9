import { startService } from '@bursary/service-kit';
import { buildApp } from './app.js';
import { loadAccountsConfig } from './config.js';

await startService({ env: process.env, loadConfig: loadAccountsConfig, buildApp });
