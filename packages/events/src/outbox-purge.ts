import type { Sql } from 'postgres';
import { outboxLocation, type OutboxTable } from './outbox-table.js';

export interface PurgeOptions {
  /** Published rows older than this are deleted. */
  olderThanDays: number;
  /** Rows deleted per statement, so the purge never holds long locks. */
  batchSize?: number;
}

/** Deletes published outbox rows older than N days; returns how many. Unpublished rows are never touched. */
export async function purgePublishedOutbox(sql: Sql, table: OutboxTable, options: PurgeOptions): Promise<number> {
  if (!(options.olderThanDays >= 0)) throw new Error('olderThanDays must be a number ≥ 0');
  const { qualified } = outboxLocation(table);
  const batchSize = options.batchSize ?? 5_000;
  let total = 0;
  for (;;) {
    const result = await sql.unsafe(
      `delete from ${qualified} where id in (
         select id from ${qualified}
         where published_at is not null and published_at < now() - $1::float8 * interval '1 day'
         limit $2)`,
      [options.olderThanDays, batchSize],
    );
    total += result.count;
    if (result.count < batchSize) return total;
  }
}
