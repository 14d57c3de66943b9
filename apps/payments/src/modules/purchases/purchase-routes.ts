import type { RuntimeConfig } from '@bursary/runtime-config';
import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import type { PaymentsDb } from '../../db/database.js';
import { IdempotencyKeyHeaders, problemResponses } from '../../http/problem-responses.js';
import { handleIdempotently, requireIdempotencyKey } from '../idempotency/idempotent-request.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { callerOf } from '../principal/principal.js';
import { PurchaseErrors } from './purchase-errors.js';
import { findPurchase, listPurchases } from './purchase-repository.js';
import { PURCHASE_OPERATION, type PurchaseService } from './purchase-service.js';
import { purchaseView, PurchaseView } from './purchase-view.js';

export interface PurchaseRoutesOptions {
  db: PaymentsDb;
  purchases: PurchaseService;
  store: IdempotencyStore;
  runtimeConfig: RuntimeConfig;
  retryAfterSeconds: number;
}

const PurchaseBody = Type.Object(
  {
    packageId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'the credit package to buy' }),
    paymentMethod: Type.Optional(Type.String({ pattern: '^pm_[A-Za-z0-9_]{1,100}$', description: 'a PSP payment method (from the PSP client SDK)' })),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  before: Type.Optional(Type.String({ format: 'uuid', description: 'the last id of the previous page' })),
});

/** POST /v1/purchases, GET /v1/purchases, GET /v1/purchases/:id (R-PAY-1, R-PAY-2). */
export async function purchaseRoutes(app: ServiceInstance, options: PurchaseRoutesOptions): Promise<void> {
  app.post(
    '/v1/purchases',
    {
      preValidation: requireIdempotencyKey,
      schema: {
        tags: ['payments'],
        summary: 'Buy a credit package (Idempotency-Key required)',
        headers: IdempotencyKeyHeaders,
        body: PurchaseBody,
        response: { 201: PurchaseView, 202: PurchaseView, ...problemResponses(400, 401, 402, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      // The kill switch answers before the key is claimed or the PSP touched (R-OPS-3).
      if (!options.runtimeConfig.get('purchases.enabled')) {
        throw PurchaseErrors.PURCHASES_DISABLED({ detail: 'Credit purchases are temporarily switched off; nothing was charged.', headers: { 'retry-after': '60' } });
      }
      return handleIdempotently(request, reply, options.store, options.retryAfterSeconds, {
        principal: caller.userId,
        operation: PURCHASE_OPERATION,
        body: request.body,
        run: (claimed) => options.purchases.purchase(claimed, caller.userId, request.body),
      });
    },
  );

  app.get(
    '/v1/purchases',
    { schema: { tags: ['payments'], summary: 'My purchases, newest first', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(PurchaseView) }), ...problemResponses(400, 401) } } },
    async (request) => {
      const caller = callerOf(request);
      const rows = await listPurchases(options.db, caller.userId, request.query.limit, request.query.before);
      return { items: rows.map(purchaseView) };
    },
  );

  app.get(
    '/v1/purchases/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'One of my purchases',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: PurchaseView, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const row = await findPurchase(options.db, request.params.id);
      // Someone else's purchase is indistinguishable from a missing one.
      if (!row || row.userId !== caller.userId) throw PurchaseErrors.PURCHASE_NOT_FOUND();
      return purchaseView(row);
    },
  );
}
