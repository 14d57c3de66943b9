import { describeServiceReadiness } from '@bursary/testing';
import { buildApp } from '../src/app.js';
import { loadPaymentsConfig } from '../src/config.js';

describeServiceReadiness('payments', async (env) => buildApp(loadPaymentsConfig(env)));
