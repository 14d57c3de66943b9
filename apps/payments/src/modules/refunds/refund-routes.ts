import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import type { PaymentsDb } from '../../db/database.js';
import { IdempotencyKeyHeaders, problemResponses } from '../../http/problem-responses.js';
import { handleIdempotently, requireIdempotencyKey } from '../idempotency/idempotent-request.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { callerOf, isAdmin } from '../principal/principal.js';
import { RefundErrors } from './refund-errors.js';
import { findRefund } from './refund-repository.js';
import { REFUND_OPERATION, type RefundService } from './refund-service.js';
import { refundView, RefundView } from './refund-view.js';

export interface RefundRoutesOptions {
  db: PaymentsDb;
  refunds: RefundService;
  store: IdempotencyStore;
  retryAfterSeconds: number;
}

const RefundBody = Type.Object(
  {
    purchaseId: Type.String({ format: 'uuid' }),
    amountMinor: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'default: all that is left to refund (a full refund)' })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

/** POST /v1/refunds (full or partial; Idempotency-Key required) and GET /v1/refunds/:id (R-PAY-5). */
export async function refundRoutes(app: ServiceInstance, options: RefundRoutesOptions): Promise<void> {
  app.post(
    '/v1/refunds',
    {
      preValidation: requireIdempotencyKey,
      schema: {
        tags: ['payments'],
        summary: 'Refund a purchase, fully or partly (the buyer or an admin; Idempotency-Key required)',
        headers: IdempotencyKeyHeaders,
        body: RefundBody,
        response: { 201: RefundView, 202: RefundView, ...problemResponses(400, 401, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      return handleIdempotently(request, reply, options.store, options.retryAfterSeconds, {
        principal: caller.userId,
        operation: REFUND_OPERATION,
        body: request.body,
        run: (claimed) => options.refunds.refund(claimed, caller, request.body),
      });
    },
  );

  app.get(
    '/v1/refunds/:id',
    { schema: { tags: ['payments'], summary: 'One refund', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: RefundView, ...problemResponses(400, 401, 404) } } },
    async (request) => {
      const caller = callerOf(request);
      const row = await findRefund(options.db, request.params.id);
      if (!row || (row.userId !== caller.userId && !isAdmin(caller))) throw RefundErrors.REFUND_NOT_FOUND();
      return refundView(row);
    },
  );
}
