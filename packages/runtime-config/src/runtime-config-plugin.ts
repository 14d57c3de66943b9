import type { NatsConnection } from '@nats-io/transport-node';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createNatsRuntimeConfig } from './nats-runtime-config.js';
import type { RuntimeConfig } from './runtime-config.js';

export type RuntimeConfigPluginOptions =
  | {
      /** NATS_URL, or a connection owned by the caller. */
      nats: string | NatsConnection;
      bucket?: string;
      /** Boot waits this long for the bucket's values, then starts with defaults (logged) and catches up. Default 2000. */
      initialLoadTimeoutMs?: number;
    }
  | {
      /** An instance built by the caller (e.g. createMemoryRuntimeConfig in tests); closed on app close. */
      runtimeConfig: RuntimeConfig;
    };

/** Decorates `app.runtimeConfig` (R-OPS-3) and closes it with the app. */
async function runtimeConfigPluginImpl(app: FastifyInstance, options: RuntimeConfigPluginOptions): Promise<void> {
  const log = app.log.child({ component: 'runtime-config' });
  let runtimeConfig: RuntimeConfig;
  if ('runtimeConfig' in options) {
    runtimeConfig = options.runtimeConfig;
  } else {
    const natsConfig = createNatsRuntimeConfig({ nats: options.nats, log, ...(options.bucket ? { bucket: options.bucket } : {}) });
    const timeoutMs = options.initialLoadTimeoutMs ?? 2_000;
    if (!(await natsConfig.ready(timeoutMs))) {
      log.warn({ timeoutMs, values: natsConfig.all() }, 'runtime config not loaded yet (NATS unreachable?): starting with defaults, will apply the bucket as soon as it answers');
    }
    runtimeConfig = natsConfig;
  }
  app.decorate('runtimeConfig', runtimeConfig);
  app.addHook('onClose', () => runtimeConfig.close());
}

export const runtimeConfigPlugin = fp(runtimeConfigPluginImpl, { name: '@bursary/runtime-config', fastify: '5.x' });

declare module 'fastify' {
  interface FastifyInstance {
    runtimeConfig: RuntimeConfig;
  }
}
