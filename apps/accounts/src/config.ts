import { commonEnv, databaseEnv, loadConfig, natsEnv, type Env } from '@bursary/config';
import { Type, type Static } from 'typebox';

export const AccountsEnv = Type.Object({
  ...commonEnv(8081),
  ...databaseEnv,
  ...natsEnv,
});

export type AccountsConfig = Static<typeof AccountsEnv>;

export function loadAccountsConfig(env: Env): AccountsConfig {
  return loadConfig(AccountsEnv, env);
}
