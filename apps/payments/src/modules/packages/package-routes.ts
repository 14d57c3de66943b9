import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import type { PaymentsDb } from '../../db/database.js';
import { problemResponses } from '../../http/problem-responses.js';
import { callerOf } from '../principal/principal.js';
import { listActivePackages } from '../purchases/purchase-repository.js';

const CreditPackageView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    credits: Type.Integer(),
    priceMinor: Type.Integer({ description: 'the price in minor units (cents)' }),
    currency: Type.String({ description: 'ISO 4217' }),
    providerOrg: Type.Union([Type.String(), Type.Null()], { description: 'the provider selling it, or null for the platform' }),
  },
  { $id: 'CreditPackage', additionalProperties: false },
);

/** GET /v1/credit-packages (R-PAY-1). */
export async function packageRoutes(app: ServiceInstance, options: { db: PaymentsDb }): Promise<void> {
  app.get(
    '/v1/credit-packages',
    { schema: { tags: ['payments'], summary: 'Credit packages on sale', response: { 200: Type.Object({ items: Type.Array(CreditPackageView) }), ...problemResponses(401) } } },
    async (request) => {
      callerOf(request);
      const rows = await listActivePackages(options.db);
      return { items: rows.map((row) => ({ id: row.id, name: row.name, credits: row.credits, priceMinor: row.priceMinor, currency: row.currency, providerOrg: row.providerOrg })) };
    },
  );
}
