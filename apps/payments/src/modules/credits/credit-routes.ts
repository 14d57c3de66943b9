import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import type { PaymentsDb } from '../../db/database.js';
import { problemResponses } from '../../http/problem-responses.js';
import { creditSideBalance } from '../ledger/ledger-queries.js';
import { CREDIT_UNIT, LedgerAccount } from '../ledger/ledger-accounts.js';
import { callerOf } from '../principal/principal.js';

/** GET /v1/credits: the student's credit balance, read from the ledger (R-PAY-1, R-PAY-3). */
export async function creditRoutes(app: ServiceInstance, options: { db: PaymentsDb }): Promise<void> {
  app.get(
    '/v1/credits',
    {
      schema: {
        tags: ['payments'],
        summary: 'My credit balance',
        response: { 200: Type.Object({ balance: Type.Integer({ minimum: 0, description: 'credits held (never negative)' }) }, { additionalProperties: false }), ...problemResponses(401) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return { balance: await creditSideBalance(options.db, LedgerAccount.studentCredits(caller.userId), CREDIT_UNIT) };
    },
  );
}
