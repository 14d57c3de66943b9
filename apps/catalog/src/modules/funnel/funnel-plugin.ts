import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { FunnelRecorder } from './funnel-recorder.js';

export interface FunnelPluginOptions {
  flushIntervalMs: number;
}

/** Decorates `app.funnel`; flushes what is buffered when the app closes (graceful shutdown). */
async function funnel(app: FastifyInstance, options: FunnelPluginOptions): Promise<void> {
  const recorder = new FunnelRecorder({
    sql: app.database.sql,
    registry: app.serviceMetrics.registry,
    flushIntervalMs: options.flushIntervalMs,
    log: app.log,
  });
  app.decorate('funnel', recorder);
  // Before the database plugin's own onClose (hooks run in reverse registration order).
  app.addHook('onClose', async () => recorder.close());
}

export const funnelPlugin = fp(funnel, { name: 'catalog-funnel', fastify: '5.x', dependencies: ['@bursary/db'] });

declare module 'fastify' {
  interface FastifyInstance {
    funnel: FunnelRecorder;
  }
}
