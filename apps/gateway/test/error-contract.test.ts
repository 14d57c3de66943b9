import { describeErrorContract, serviceTestEnv } from '@bursary/testing';
import { buildApp } from '../src/app.js';
import { loadGatewayConfig } from '../src/config.js';

describeErrorContract('gateway', async () => buildApp(loadGatewayConfig(serviceTestEnv({ BODY_LIMIT_BYTES: '2048' }))));
