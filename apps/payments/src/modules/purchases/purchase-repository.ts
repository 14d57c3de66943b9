import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { PaymentsDb, PaymentsTx } from '../../db/database.js';
import { creditPackages, idempotencyKeys, purchases } from '../../db/schema.js';
import type { KeyScope } from '../idempotency/idempotency-store.js';

export type PurchaseRow = typeof purchases.$inferSelect;

export const PURCHASE_CREATED = 'purchase_created';

export type PackageRow = typeof creditPackages.$inferSelect;

export interface NewPurchase {
  id: string;
  userId: string;
  package: PackageRow;
  platformFeeMinor: number;
  paymentMethod: string;
  leaseMs: number;
}

/**
 * Phase 1 of a purchase, in one statement: moves the Idempotency-Key from
 * `started` to `purchase_created` naming the purchase, and inserts the
 * purchase with its price, fee and lease. All or nothing: undefined (nothing
 * written) when another request on the same key got there first. The purchase
 * id, our PSP Idempotency-Key, is therefore stored before the PSP is ever
 * called (R-PAY-2). Timestamps come from here, so the row is known without
 * reading it back.
 */
export async function insertPurchaseForKey(db: PaymentsDb, scope: KeyScope, purchase: NewPurchase): Promise<PurchaseRow | undefined> {
  const pkg = purchase.package;
  const createdAt = new Date();
  const leaseUntil = new Date(createdAt.getTime() + purchase.leaseMs);
  const inserted = await db.execute(sql`
    with claimed as (
      update ${idempotencyKeys} set recovery_point = ${PURCHASE_CREATED}, resource_id = ${purchase.id}
      where principal = ${scope.principal} and operation = ${scope.operation} and key = ${scope.key}
        and state = 'in_flight' and recovery_point = 'started'
      returning 1
    )
    insert into ${purchases} (id, user_id, package_id, credits, amount_minor, currency, provider_org, platform_fee_minor, payment_method, lease_until, created_at)
    select ${purchase.id}, ${purchase.userId}, ${pkg.id}, ${pkg.credits}, ${pkg.priceMinor}, ${pkg.currency}, ${pkg.providerOrg},
           ${purchase.platformFeeMinor}, ${purchase.paymentMethod}, ${leaseUntil.toISOString()}::timestamptz, ${createdAt.toISOString()}::timestamptz
    from claimed
    returning id`);
  if (inserted.length === 0) return undefined;
  return {
    id: purchase.id,
    userId: purchase.userId,
    packageId: pkg.id,
    credits: pkg.credits,
    amountMinor: pkg.priceMinor,
    currency: pkg.currency,
    providerOrg: pkg.providerOrg,
    platformFeeMinor: purchase.platformFeeMinor,
    paymentMethod: purchase.paymentMethod,
    status: 'created',
    pspPaymentIntentId: null,
    failureCode: null,
    leaseUntil,
    recoveryAttempts: 0,
    refundedMinor: 0,
    refundSettledMinor: 0,
    createdAt,
    completedAt: null,
  };
}

export async function findActivePackage(db: PaymentsDb, packageId: string): Promise<PackageRow | undefined> {
  const [row] = await db.select().from(creditPackages).where(and(eq(creditPackages.id, packageId), eq(creditPackages.active, true)));
  return row;
}

export async function listActivePackages(db: PaymentsDb): Promise<PackageRow[]> {
  return db.select().from(creditPackages).where(eq(creditPackages.active, true)).orderBy(creditPackages.priceMinor, creditPackages.id);
}

export async function findPurchase(db: PaymentsDb | PaymentsTx, id: string): Promise<PurchaseRow | undefined> {
  const [row] = await db.select().from(purchases).where(eq(purchases.id, id));
  return row;
}

export async function lockPurchase(tx: PaymentsTx, id: string): Promise<PurchaseRow | undefined> {
  const [row] = await tx.select().from(purchases).where(eq(purchases.id, id)).for('update');
  return row;
}

/** A page of a user's purchases, newest first (ids are UUIDv7, so id order is time order). */
export async function listPurchases(db: PaymentsDb, userId: string, limit: number, before?: string): Promise<PurchaseRow[]> {
  return db
    .select()
    .from(purchases)
    .where(before ? and(eq(purchases.userId, userId), lt(purchases.id, before)) : eq(purchases.userId, userId))
    .orderBy(desc(purchases.id))
    .limit(limit);
}

/** The request resuming a purchase owns it for another lease, so recovery leaves it alone meanwhile. */
export async function renewLease(db: PaymentsDb, id: string, leaseMs: number): Promise<void> {
  await db.execute(sql`update ${purchases} set lease_until = now() + ${leaseMs} * interval '1 millisecond' where id = ${id} and status = 'created'`);
}

/**
 * Takes up to `limit` in-flight purchases whose lease expired, for recovery
 * (R-PAY-6): each gets a new lease, growing with its attempts, so a PSP that
 * stays down is not hammered and two workers never take the same purchase.
 */
export async function claimAbandonedPurchases(db: PaymentsDb, leaseMs: number, limit: number): Promise<PurchaseRow[]> {
  const rows = await db.execute(sql`
    update ${purchases} set lease_until = now() + least(power(2, recovery_attempts), 32) * ${leaseMs} * interval '1 millisecond',
                            recovery_attempts = recovery_attempts + 1
    where id in (
      select id from ${purchases} where status = 'created' and lease_until < now()
      order by lease_until limit ${limit} for update skip locked)
    returning id`);
  const ids = rows.map((row) => String(row['id']));
  if (ids.length === 0) return [];
  return db.select().from(purchases).where(inArray(purchases.id, ids));
}
