import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import type { PaymentsDb } from '../../db/database.js';
import { IdempotencyKeyHeaders, problemResponses } from '../../http/problem-responses.js';
import { handleIdempotently, requireIdempotencyKey } from '../idempotency/idempotent-request.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { LedgerAccount } from '../ledger/ledger-accounts.js';
import { creditSideBalances } from '../ledger/ledger-queries.js';
import { callerOf, requireAdmin, requireProviderOrg } from '../principal/principal.js';
import { PAYOUT_OPERATION, type PayoutService } from './payout-service.js';

const ProviderOrg = Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$', description: 'the provider organization' });

const PayoutView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    providerOrg: Type.String(),
    amountMinor: Type.Integer(),
    currency: Type.String(),
    reference: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Payout', additionalProperties: false },
);

const PayoutLedger = Type.Object(
  {
    providerOrg: Type.String(),
    payable: Type.Array(Type.Object({ currency: Type.String(), balanceMinor: Type.Integer({ description: 'owed to the provider, never negative' }) })),
    payouts: Type.Array(PayoutView),
  },
  { additionalProperties: false },
);

export interface PayoutRoutesOptions {
  db: PaymentsDb;
  payouts: PayoutService;
  store: IdempotencyStore;
  retryAfterSeconds: number;
}

/** The payout ledger per provider (R-PAY-5): admins pay out, providers read their own. */
export async function payoutRoutes(app: ServiceInstance, options: PayoutRoutesOptions): Promise<void> {
  const ledgerOf = async (providerOrg: string) => ({
    providerOrg,
    payable: await creditSideBalances(options.db, LedgerAccount.providerPayable(providerOrg)),
    payouts: await options.payouts.list(providerOrg, 100),
  });

  app.post(
    '/v1/payouts',
    {
      preValidation: requireIdempotencyKey,
      schema: {
        tags: ['payments'],
        summary: 'Pay out money owed to a provider (admin; Idempotency-Key required)',
        headers: IdempotencyKeyHeaders,
        body: Type.Object(
          {
            providerOrg: ProviderOrg,
            amountMinor: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 }),
            currency: Type.String({ pattern: '^[A-Z]{3}$' }),
            reference: Type.Optional(Type.String({ maxLength: 200, description: 'the bank transfer reference' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: PayoutView, ...problemResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireAdmin(caller);
      return handleIdempotently(request, reply, options.store, options.retryAfterSeconds, {
        principal: caller.userId,
        operation: PAYOUT_OPERATION,
        body: request.body,
        run: (claimed) => options.payouts.payout(claimed, caller.userId, request.body),
      });
    },
  );

  app.get(
    '/v1/payouts',
    { schema: { tags: ['payments'], summary: "A provider's payout ledger (admin)", querystring: Type.Object({ providerOrg: ProviderOrg }), response: { 200: PayoutLedger, ...problemResponses(400, 401, 403) } } },
    async (request) => {
      requireAdmin(callerOf(request));
      return ledgerOf(request.query.providerOrg);
    },
  );

  app.get(
    '/v1/provider/payouts',
    { schema: { tags: ['payments'], summary: 'My organization’s payable balance and payouts (provider)', response: { 200: PayoutLedger, ...problemResponses(401, 403) } } },
    async (request) => ledgerOf(requireProviderOrg(callerOf(request))),
  );
}
