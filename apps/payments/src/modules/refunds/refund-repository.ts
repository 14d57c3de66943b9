import { eq, inArray, sql } from 'drizzle-orm';
import type { PaymentsDb, PaymentsTx } from '../../db/database.js';
import { refunds } from '../../db/schema.js';

export type RefundRow = typeof refunds.$inferSelect;

export const REFUND_CREATED = 'refund_created';

export async function findRefund(db: PaymentsDb | PaymentsTx, id: string): Promise<RefundRow | undefined> {
  const [row] = await db.select().from(refunds).where(eq(refunds.id, id));
  return row;
}

export async function lockRefund(tx: PaymentsTx, id: string): Promise<RefundRow | undefined> {
  const [row] = await tx.select().from(refunds).where(eq(refunds.id, id)).for('update');
  return row;
}

export async function renewRefundLease(db: PaymentsDb, id: string, leaseMs: number): Promise<void> {
  await db.execute(sql`update ${refunds} set lease_until = now() + ${leaseMs} * interval '1 millisecond' where id = ${id} and status = 'pending'`);
}

/** Pending refunds whose lease expired, taken for recovery with a fresh lease (R-PAY-6). */
export async function claimAbandonedRefunds(db: PaymentsDb, leaseMs: number, limit: number): Promise<RefundRow[]> {
  const rows = await db.execute(sql`
    update ${refunds} set lease_until = now() + ${leaseMs} * interval '1 millisecond'
    where id in (select id from ${refunds} where status = 'pending' and lease_until < now() order by lease_until limit ${limit} for update skip locked)
    returning id`);
  const ids = rows.map((row) => String(row['id']));
  return ids.length === 0 ? [] : db.select().from(refunds).where(inArray(refunds.id, ids));
}
