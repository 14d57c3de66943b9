export { loadConfig, type Env } from './load-config.js';
export { ConfigError } from './config-error.js';
export { describeSchema } from './describe-schema.js';
export { commonEnv, databaseEnv, redisEnv, natsEnv, AppEnvironment } from './common-env.js';
