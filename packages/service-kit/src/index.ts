// Route `schema.hide` and other OpenAPI keywords (@fastify/swagger) and
// `app.memoryUsage()` (@fastify/under-pressure) are type
// augmentation; a reference (kept in the emitted .d.ts, unlike an empty
// import) lets every service use them.
/// <reference types="@fastify/swagger" preserve="true" />
/// <reference types="@fastify/under-pressure" preserve="true" />
export { buildService, type ServiceInstance, type ServiceOptions } from './build-service.js';
export { runService, type RunOptions } from './run-service.js';
export { startService, type RunnableConfig, type StartServiceOptions } from './start-service.js';
export { registerDataPlatform, type DataPlatformOptions, type NatsEnvConfig } from './data-platform.js';
export { EdgeErrors } from './kit-errors.js';
export type { HostRejectionReason } from './host-header-guard.js';
export { API_CONTENT_SECURITY_POLICY, PAGE_CONTENT_SECURITY_POLICY } from './security-headers.js';
export { cachePolicyOf, type CachePolicy } from './cache-policy.js';
export {
  LOAD_SHEDDING_DEFAULTS,
  loadSheddingEnv,
  loadSheddingOptions,
  sheddingClassOf,
  type LoadSheddingConfig,
  type LoadSheddingOptions,
  type PressureSample,
  type SheddingClass,
} from './load-shedding.js';
