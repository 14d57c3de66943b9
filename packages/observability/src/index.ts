export { loggerOptions, REDACTED_PATHS, type LoggerSettings } from './logger-options.js';
export { createServiceMetrics, HTTP_DURATION_BUCKETS, type ServiceMetrics } from './metrics-registry.js';
export { requestLoggingPlugin } from './request-logging-plugin.js';
export { startMetricsServer, type MetricsServer } from './metrics-server.js';
export { healthPlugin, type Readiness, type ReadinessProbe, type ReadinessReport } from './health-plugin.js';
