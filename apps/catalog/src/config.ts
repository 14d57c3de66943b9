import { commonEnv, databaseEnv, loadConfig, natsEnv, type Env } from '@bursary/config';
import { Type, type Static } from 'typebox';

export const CatalogEnv = Type.Object({
  ...commonEnv(8082),
  ...databaseEnv,
  ...natsEnv,
});

export type CatalogConfig = Static<typeof CatalogEnv>;

export function loadCatalogConfig(env: Env): CatalogConfig {
  return loadConfig(CatalogEnv, env);
}
