import { serviceTestEnv } from '@bursary/testing';
import { describe, expect, it } from 'vitest';
import { loadPaymentsConfig } from '../src/config.js';

const base = serviceTestEnv({ DATABASE_URL: 'postgres://bursary_payments:x@127.0.0.1:1/none' });

describe('payments configuration', () => {
  it('R-PAY-6: a lease shorter than one PSP call with its retries is refused at boot', () => {
    expect(() => loadPaymentsConfig({ ...base, PSP_TIMEOUT_MS: '5000', PSP_MAX_NETWORK_RETRIES: '2', PURCHASE_LEASE_MS: '15000' })).toThrow(/PURCHASE_LEASE_MS/);
    expect(loadPaymentsConfig({ ...base, PSP_TIMEOUT_MS: '5000', PSP_MAX_NETWORK_RETRIES: '2', PURCHASE_LEASE_MS: '15001', IDEMPOTENCY_LEASE_MS: '20000' }).PURCHASE_LEASE_MS).toBe(15001);
  });

  it('R-PAY-4: several webhook secrets are accepted for a rotation', () => {
    expect(loadPaymentsConfig({ ...base, PSP_WEBHOOK_SECRETS: 'whsec_new, whsec_old' }).PSP_WEBHOOK_SECRETS).toEqual(['whsec_new', 'whsec_old']);
    expect(() => loadPaymentsConfig({ ...base, PSP_WEBHOOK_SECRETS: ' , ' })).toThrow(/PSP_WEBHOOK_SECRETS/);
  });

  it('R-PAY-1: production refuses a clear-text PSP connection and test keys', () => {
    const production = { ...base, APP_ENV: 'production', DATABASE_TLS: 'verify-full', DATABASE_CA_FILE: '/dev/null' };
    expect(() => loadPaymentsConfig({ ...production, PSP_PROTOCOL: 'http', PSP_API_KEY: 'sk_live_x' })).toThrow(/PSP_PROTOCOL/);
    expect(() => loadPaymentsConfig({ ...production, PSP_PROTOCOL: 'https', PSP_API_KEY: 'sk_test_x' })).toThrow(/PSP_API_KEY/);
  });
});
