import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type * as schema from './schema.js';

/** The accounts database as drizzle sees it (`app.database.db`, typed). */
export type AccountsDb = PostgresJsDatabase<typeof schema>;

/** One transaction of it: what repositories take when a change and its event/audit row must commit together. */
export type AccountsTx = Parameters<Parameters<AccountsDb['transaction']>[0]>[0];

/** Either: a repository function that works inside or outside a transaction. */
export type Queryable = AccountsDb | AccountsTx;
