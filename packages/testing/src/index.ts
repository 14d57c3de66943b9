export { createTestDatabase, serviceRolePassword, type TestDatabase } from './test-database.js';
export { serviceTestEnv, uniqueSuffix } from './test-env.js';
export { waitFor } from './wait-for.js';
export { rawHttp, type RawResponse } from './raw-http.js';
export { describeErrorContract } from './error-contract.js';
export { freePort } from './free-port.js';
export { startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres.js';
export { startThrowawayNats, type ThrowawayNats } from './throwaway-nats.js';
export { describeServiceReadiness } from './service-readiness.js';
