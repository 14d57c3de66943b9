import { describeServiceReadiness } from '@bursary/testing';
import { buildApp } from '../src/app.js';
import { loadAccountsConfig } from '../src/config.js';

describeServiceReadiness('accounts', async (env) => buildApp(loadAccountsConfig(env)));
