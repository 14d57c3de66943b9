import { commonEnv, databaseEnv, loadConfig, natsEnv, type Env } from '@bursary/config';
import { Type, type Static } from 'typebox';

export const WebhooksEnv = Type.Object({
  ...commonEnv(8084),
  ...databaseEnv,
  ...natsEnv,
});

export type WebhooksConfig = Static<typeof WebhooksEnv>;

export function loadWebhooksConfig(env: Env): WebhooksConfig {
  return loadConfig(WebhooksEnv, env);
}
