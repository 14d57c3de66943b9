import { startService } from '@bursary/service-kit';
import { buildApp } from './app.js';
import { loadCatalogConfig } from './config.js';

await startService({ env: process.env, loadConfig: loadCatalogConfig, buildApp });
