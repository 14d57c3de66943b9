import type { LoggerOptions } from 'pino';

/**
 * Paths that may hold secrets or PII (R-OPS-5). Redaction is by path, so a
 * new field that carries a secret must be named here, not hoped away.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["set-cookie"]',
  'req.headers["x-api-key"]',
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.email',
  'password',
  'token',
  'email',
  'body.password',
  'body.email',
  'body.token',
];

export interface LoggerSettings {
  service: string;
  level: string;
}

/** pino options shared by every service: JSON lines, ISO time, redaction, service name. */
export function loggerOptions(settings: LoggerSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { service: settings.service },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
}
