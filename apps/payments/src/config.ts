import { commonEnv, databaseEnv, loadConfig, natsEnv, type Env } from '@bursary/config';
import { Type, type Static } from 'typebox';

export const PaymentsEnv = Type.Object({
  ...commonEnv(8083),
  ...databaseEnv,
  ...natsEnv,
});

export type PaymentsConfig = Static<typeof PaymentsEnv>;

export function loadPaymentsConfig(env: Env): PaymentsConfig {
  return loadConfig(PaymentsEnv, env);
}
