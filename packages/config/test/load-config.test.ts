import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { commonEnv, ConfigError, databaseEnv, loadConfig } from '../src/index.js';

const Schema = Type.Object({ ...commonEnv(8081), ...databaseEnv });

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadConfig(Schema, { DATABASE_URL: 'postgres://u:p@localhost/db', PORT: '9000' });
    expect(config.PORT).toBe(9000);
    expect(config.METRICS_PORT).toBe(9081);
    expect(config.APP_ENV).toBe('development');
    expect(config.DATABASE_TLS).toBe('verify-full');
  });

  it('names a missing variable and its expected form in one line', () => {
    expect(() => loadConfig(Schema, {})).toThrow(ConfigError);
    try {
      loadConfig(Schema, {});
    } catch (error) {
      expect((error as Error).message).toBe("Missing environment variable DATABASE_URL: expected a postgres:// URL for this service's role.");
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it.each([
    ['PORT', 'eighty', /Invalid environment variable PORT: expected the public HTTP port \(an integer from 0 to 65535\), got "eighty"/],
    ['APP_ENV', 'prod', /Invalid environment variable APP_ENV: expected one of "development", "test", "production", got "prod"/],
    ['DATABASE_TLS', 'require', /DATABASE_TLS: expected one of "verify-full", "disable"/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: expected a postgres:\/\/ URL/],
  ])('rejects an invalid %s with a message naming it', (name, value, message) => {
    const env = { DATABASE_URL: 'postgres://u:p@localhost/db', [name]: value };
    expect(() => loadConfig(Schema, env)).toThrow(message);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig(Schema, { DATABASE_URL: 'postgres://u:p@localhost/db', PORT: '' });
    expect(config.PORT).toBe(8081);
  });
});
