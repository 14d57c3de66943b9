import { serviceTestEnv } from '@bursary/testing';
import { describe, expect, it } from 'vitest';
import { loadAccountsConfig } from '../src/config.js';

const base = serviceTestEnv({ DATABASE_URL: 'postgres://bursary_accounts:x@127.0.0.1:5432/bursary' });
const production = { ...base, APP_ENV: 'production', SMTP_SECURE: 'starttls', PASSWORD_RESET_URL: 'https://bursary.example/reset-password', SIGNING_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') };

describe('accounts config', () => {
  it('R-ID-2: argon2id defaults are OWASP\'s minimum (19 MiB, t=2, p=1); weaker settings stop the boot naming the variable', () => {
    expect(loadAccountsConfig(base)).toMatchObject({ ARGON2_MEMORY_KIB: 19_456, ARGON2_TIME_COST: 2, ARGON2_PARALLELISM: 1 });
    expect(() => loadAccountsConfig({ ...base, ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '2' })).toThrow(/ARGON2_MEMORY_KIB/);
    expect(() => loadAccountsConfig({ ...base, ARGON2_MEMORY_KIB: '4096' })).toThrow(/ARGON2_MEMORY_KIB/);
    expect(loadAccountsConfig({ ...base, ARGON2_MEMORY_KIB: '47104', ARGON2_TIME_COST: '1' })).toMatchObject({ ARGON2_MEMORY_KIB: 47_104 });
  });

  it('R-ID-1: production refuses the development key-encryption key, plain SMTP and an http reset link', () => {
    expect(() => loadAccountsConfig(production)).not.toThrow();
    const { SIGNING_KEY_ENCRYPTION_KEY: _omitted, ...withoutKey } = production;
    expect(() => loadAccountsConfig(withoutKey)).toThrow(/SIGNING_KEY_ENCRYPTION_KEY/);
    expect(() => loadAccountsConfig({ ...production, SMTP_SECURE: 'none' })).toThrow(/SMTP_SECURE/);
    expect(() => loadAccountsConfig({ ...production, PASSWORD_RESET_URL: 'http://bursary.example/reset' })).toThrow(/PASSWORD_RESET_URL/);
    expect(() => loadAccountsConfig({ ...base, SIGNING_KEY_ENCRYPTION_KEY: 'short' })).toThrow(/SIGNING_KEY_ENCRYPTION_KEY/);
  });
});
