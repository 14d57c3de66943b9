import { loadConfig, type Env } from '@bursary/config';
import { Type, type Static } from 'typebox';

const Port = (fallback: number, what: string) => Type.Integer({ minimum: 0, maximum: 65535, default: fallback, description: `${what} (an integer from 0 to 65535)` });

// `npm start` sets PORT and HTTP_PORT to the same value (its health check uses PORT): HTTP_PORT wins.
const MailSinkEnv = Type.Object({
  HOST: Type.String({ default: '127.0.0.1', description: 'the address both listeners bind (keep it on loopback: the sink has no auth)' }),
  SMTP_PORT: Port(1025, 'the SMTP port'),
  HTTP_PORT: Type.Optional(Port(8025, 'the port of the JSON API (GET/DELETE /api/messages)')),
  PORT: Port(8025, 'the port of the JSON API when HTTP_PORT is unset'),
  MAX_MESSAGES: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000, description: 'messages kept before the oldest are dropped' }),
});

export type MailSinkConfig = Static<typeof MailSinkEnv>;

export function loadMailSinkConfig(env: Env): MailSinkConfig {
  return loadConfig(MailSinkEnv, env);
}
