import { describeServiceReadiness } from '@bursary/testing';
import { buildApp } from '../src/app.js';
import { loadCatalogConfig } from '../src/config.js';

describeServiceReadiness('catalog', async (env) => buildApp(loadCatalogConfig(env)));
