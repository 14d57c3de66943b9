import type { Database } from '@bursary/db';
import type * as schema from './schema.js';

/** The payments database handle: the postgres.js pool (`sql`) and drizzle on it (`db`). */
export type PaymentsDatabase = Database<typeof schema>;
export type PaymentsDb = PaymentsDatabase['db'];
/** A drizzle transaction on the payments schema (also what the outbox writer takes). */
export type PaymentsTx = Parameters<Parameters<PaymentsDb['transaction']>[0]>[0];
