export {
  runtimeKeys,
  RUNTIME_KEYS,
  isRuntimeKey,
  assertRuntimeKey,
  runtimeDefaults,
  validateRuntimeValue,
  parseRuntimeValue,
  RuntimeValueError,
  type RuntimeKey,
  type RuntimeValues,
} from './runtime-keys.js';
export type { RuntimeConfig, ChangeListener } from './runtime-config.js';
export type { RuntimeConfigLogger } from './logger.js';
export { createMemoryRuntimeConfig, type MemoryRuntimeConfig } from './memory-runtime-config.js';
export { createNatsRuntimeConfig, type NatsRuntimeConfig, type NatsRuntimeConfigOptions, type NatsRuntimeConfigStatus } from './nats-runtime-config.js';
export { openRuntimeBucket, DEFAULT_RUNTIME_BUCKET } from './runtime-bucket.js';
export { runtimeConfigPlugin, type RuntimeConfigPluginOptions } from './runtime-config-plugin.js';
