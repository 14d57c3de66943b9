import { describeServiceReadiness } from '@bursary/testing';
import { buildApp } from '../src/app.js';
import { loadWebhooksConfig } from '../src/config.js';

describeServiceReadiness('webhooks', async (env) => buildApp(loadWebhooksConfig(env)));
