import { describeErrorContract, serviceTestEnv } from '@bursary/testing';
import { buildApp } from '../src/app.js';
import { loadCatalogConfig } from '../src/config.js';

describeErrorContract('catalog', async () =>
  buildApp(loadCatalogConfig(serviceTestEnv({ DATABASE_URL: 'postgres://bursary_catalog:x@127.0.0.1:1/none', DATABASE_CONNECT_TIMEOUT_S: '1', BODY_LIMIT_BYTES: '2048' }))),
);
