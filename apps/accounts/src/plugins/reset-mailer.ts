import { connectNats, on, PasswordResetRequested, startEventConsumer, type EventConsumer, type EventStreamConfig } from '@bursary/events';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createResetMailer, type ResetMailerOptions } from '../modules/password-reset/reset-mailer.js';

export interface ResetMailerPluginOptions extends ResetMailerOptions {
  natsUrl: string;
  stream: Partial<EventStreamConfig>;
}

/** One durable consumer shared by every accounts instance: each reset email is sent by one of them. */
const DURABLE = 'accounts-password-reset-mailer';

/**
 * Runs the password reset mailer in the accounts process: once the app is
 * ready it connects to NATS (without blocking boot: the events wait in the
 * stream) and consumes `accounts.password_reset.requested.v1`.
 */
async function resetMailerPlugin(app: FastifyInstance, options: ResetMailerPluginOptions): Promise<void> {
  const abort = new AbortController();
  const log = app.log.child({ component: 'reset-mailer' });
  const send = createResetMailer(options);
  let nats: Awaited<ReturnType<typeof connectNats>> | undefined;
  let consumer: EventConsumer | undefined;
  let starting: Promise<void> | undefined;

  app.addHook('onReady', async () => {
    starting = (async () => {
      nats = await connectNats({ servers: options.natsUrl, name: 'accounts-reset-mailer', signal: abort.signal, log });
      consumer = await startEventConsumer({
        nats,
        durable: DURABLE,
        stream: options.stream,
        handlers: [
          on(PasswordResetRequested, async (event, delivery) => {
            const outcome = await send(event);
            log.info({ resetId: event.data.resetId, outcome, attempt: delivery.attempt }, 'password reset email');
          }),
        ],
        log,
      });
    })().catch((error: unknown) => {
      if (!abort.signal.aborted) log.error({ err: error }, 'password reset mailer did not start');
    });
  });

  app.addHook('onClose', async () => {
    abort.abort();
    await starting;
    await consumer?.stop();
    if (nats && !nats.isClosed()) await nats.drain().catch(() => nats?.close());
  });
}

export const resetMailer = fp(resetMailerPlugin, { name: '@bursary/accounts-reset-mailer', fastify: '5.x' });
