import type { ServiceInstance } from '@bursary/service-kit';
import { Counter } from 'prom-client';
import { Type } from 'typebox';
import type { PaymentsDb } from '../../db/database.js';
import { problemResponses } from '../../http/problem-responses.js';
import type { SettlementLogger } from '../purchases/purchase-settlement.js';
import { PspWebhookErrors } from './psp-webhook-errors.js';
import { applyPspEvent, isPspEvent } from './psp-webhook-service.js';
import { verifyStripeSignature } from './stripe-signature.js';

export interface PspWebhookRoutesOptions {
  db: PaymentsDb;
  secrets: readonly string[];
  toleranceSeconds: number;
}

/**
 * POST /v1/psp/webhooks (R-PAY-4). The body is taken as raw bytes (this
 * plugin's own JSON parser returns the Buffer) and the Stripe-Signature is
 * checked on exactly those bytes before anything parses them or touches the
 * database.
 */
export async function pspWebhookRoutes(app: ServiceInstance, options: PspWebhookRoutesOptions): Promise<void> {
  const received = new Counter({
    name: 'payments_psp_webhooks_total',
    help: 'PSP webhook deliveries by outcome (applied effect, duplicate, stale, rejected signature, …)',
    labelNames: ['outcome'] as const,
    registers: [app.serviceMetrics.registry],
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/psp/webhooks',
    {
      schema: {
        tags: ['payments'],
        summary: 'PSP (Stripe) webhook endpoint; Stripe-Signature required',
        response: { 200: Type.Object({ received: Type.Boolean(), outcome: Type.String() }), ...problemResponses(400) },
      },
    },
    async (request) => {
      const raw = request.body;
      if (!Buffer.isBuffer(raw)) {
        received.inc({ outcome: 'bad_signature' });
        throw PspWebhookErrors.PSP_WEBHOOK_SIGNATURE_INVALID({ detail: 'Expected a signed application/json body.' });
      }
      const check = verifyStripeSignature(raw, request.headers['stripe-signature'], { secrets: options.secrets, toleranceSeconds: options.toleranceSeconds });
      if (!check.valid) {
        received.inc({ outcome: 'bad_signature' });
        request.log.warn({ reason: check.reason }, 'PSP webhook refused: signature');
        throw PspWebhookErrors.PSP_WEBHOOK_SIGNATURE_INVALID({ extensions: { reason: check.reason } });
      }
      let event: unknown;
      try {
        event = JSON.parse(raw.toString('utf8'));
      } catch {
        event = undefined;
      }
      if (!isPspEvent(event)) {
        received.inc({ outcome: 'bad_payload' });
        throw PspWebhookErrors.PSP_WEBHOOK_PAYLOAD_INVALID();
      }
      const outcome = await applyPspEvent(options.db, event, request.log as SettlementLogger);
      received.inc({ outcome });
      return { received: true, outcome };
    },
  );
}
