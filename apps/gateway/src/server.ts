import { startService } from '@bursary/service-kit';
import { buildApp } from './app.js';
import { loadGatewayConfig } from './config.js';

await startService({ env: process.env, loadConfig: loadGatewayConfig, buildApp: (config) => buildApp(config) });
