// `node dist/server.js` (started by `npm start`): the only file that reads process.*.
import { ConfigError } from '@bursary/config';
import { loadSimulatorConfig } from './config.js';
import { startPspSimulator } from './simulator.js';

try {
  const config = loadSimulatorConfig(process.env);
  const simulator = await startPspSimulator({
    host: config.HOST,
    port: config.PORT,
    timeFactor: config.TIME_FACTOR,
    idempotencyTtlMs: config.IDEMPOTENCY_TTL_S * 1000,
    webhookTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
    logLevel: config.LOG_LEVEL,
    ...(config.WEBHOOK_URL ? { webhookUrl: config.WEBHOOK_URL } : {}),
    ...(config.WEBHOOK_SECRET ? { webhookSecret: config.WEBHOOK_SECRET } : {}),
    ...(config.API_KEYS ? { apiKeys: config.API_KEYS.split(',') } : {}),
  });
  console.log(
    JSON.stringify({
      level: 'info',
      service: 'psp-simulator',
      msg: `PSP simulator (Stripe API subset) listening on ${simulator.url}; webhooks → ${config.WEBHOOK_URL ?? '(none until PUT /_sim/webhook)'}; time factor ${config.TIME_FACTOR}`,
    }),
  );
  const stop = () => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
