import { sql } from 'drizzle-orm';
import type { PaymentsDb, PaymentsTx } from '../../db/database.js';
import { idempotencyKeys } from '../../db/schema.js';

/** What a key is unique by (R-PAY-2): the caller, the operation and the key itself. */
export interface KeyScope {
  principal: string;
  operation: string;
  key: string;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** The body exactly as first sent. */
  body: string;
}

/** A claimed key: the work resumes from `recoveryPoint` (about `resourceId` once it exists). */
export interface ClaimedKey {
  scope: KeyScope;
  recoveryPoint: string;
  resourceId: string | null;
}

export type ClaimResult =
  | { kind: 'claimed'; claimed: ClaimedKey }
  | { kind: 'completed'; response: StoredResponse }
  | { kind: 'in_use' }
  | { kind: 'mismatch' };

export const RECOVERY_STARTED = 'started';

const table = sql`${idempotencyKeys}`;
const scopeMatches = (scope: KeyScope) => sql`principal = ${scope.principal} and operation = ${scope.operation} and key = ${scope.key}`;

function storedFrom(row: Record<string, unknown>): StoredResponse {
  return { status: Number(row['response_status']), headers: (row['response_headers'] ?? {}) as Record<string, string>, body: String(row['response_body']) };
}

export interface IdempotencyStoreOptions {
  /** How long a request owns its key before a retry may take over. */
  leaseMs: number;
  /** How long a key and its response are kept (72 h at most). */
  retentionMs: number;
}

/**
 * The DB-backed idempotency store (R-PAY-2). Claiming is one statement: the
 * insert wins the key, or takes over an abandoned one (lease expired, same
 * body), atomically; anything else reads the row to tell replay, in use and
 * mismatch apart.
 */
export function createIdempotencyStore(db: PaymentsDb, options: IdempotencyStoreOptions) {
  return {
    async claim(scope: KeyScope, fingerprint: string): Promise<ClaimResult> {
      for (let attempt = 0; attempt < 3; attempt++) {
        // One round trip for both common cases: the insert wins a new key, or the
        // row of an existing one comes back to be replayed or refused. DO NOTHING
        // takes no row lock, so a thousand retries of one key do not queue on it.
        const [row] = await db.execute(sql`
          with inserted as (
            insert into ${table} (principal, operation, key, fingerprint, locked_until, expires_at)
            values (${scope.principal}, ${scope.operation}, ${scope.key}, ${fingerprint},
                    now() + ${options.leaseMs} * interval '1 millisecond', now() + ${options.retentionMs} * interval '1 millisecond')
            on conflict (principal, operation, key) do nothing
            returning recovery_point, resource_id, fingerprint, state, response_status, response_headers, response_body, true as fresh, false as abandoned
          )
          select * from inserted
          union all
          select recovery_point, resource_id, fingerprint, state, response_status, response_headers, response_body, false, locked_until < now()
          from ${table} where ${scopeMatches(scope)} and not exists (select 1 from inserted)`);
        // Neither: the conflicting insert committed after this statement's snapshot; look again.
        if (!row) continue;
        if (row['fresh'] === true) return { kind: 'claimed', claimed: { scope, recoveryPoint: String(row['recovery_point']), resourceId: null } };
        if (row['fingerprint'] !== fingerprint) return { kind: 'mismatch' };
        if (row['state'] === 'completed') return { kind: 'completed', response: storedFrom(row) };
        if (row['abandoned'] !== true) return { kind: 'in_use' };
        // The request that held it stopped (crash, 5xx): exactly one retry takes it over and resumes.
        const [taken] = await db.execute(sql`
          update ${table} set locked_until = now() + ${options.leaseMs} * interval '1 millisecond'
          where ${scopeMatches(scope)} and state = 'in_flight' and locked_until < now()
          returning recovery_point, resource_id`);
        if (!taken) return { kind: 'in_use' };
        return { kind: 'claimed', claimed: { scope, recoveryPoint: String(taken['recovery_point']), resourceId: (taken['resource_id'] as string | null) ?? null } };
      }
      return { kind: 'in_use' };
    },

    /**
     * Moves the key from one recovery point to the next, naming the resource it
     * created, in the caller's transaction. False when another request already
     * moved it: the caller then rolls back and continues with that request's resource.
     */
    async advance(tx: PaymentsTx | PaymentsDb, scope: KeyScope, from: string, to: string, resourceId: string): Promise<boolean> {
      const moved = await tx.execute(sql`
        update ${table} set recovery_point = ${to}, resource_id = ${resourceId}
        where ${scopeMatches(scope)} and state = 'in_flight' and recovery_point = ${from}
        returning 1 as moved`);
      return moved.length > 0;
    },

    async resourceOf(scope: KeyScope): Promise<string | null> {
      const [row] = await db.execute(sql`select resource_id from ${table} where ${scopeMatches(scope)}`);
      return (row?.['resource_id'] as string | null | undefined) ?? null;
    },

    /**
     * Stores the terminal outcome. Should another request have completed the
     * key first (a takeover after a stalled request), its response wins and is
     * returned, so every answer for the key stays byte-identical.
     */
    async complete(scope: KeyScope, response: StoredResponse): Promise<StoredResponse> {
      const done = await db.execute(sql`
        update ${table} set state = 'completed', response_status = ${response.status},
          response_headers = ${JSON.stringify(response.headers)}::jsonb, response_body = ${response.body},
          completed_at = now(), locked_until = now()
        where ${scopeMatches(scope)} and state = 'in_flight'
        returning 1 as done`);
      if (done.length > 0) return response;
      const [row] = await db.execute(sql`select response_status, response_headers, response_body from ${table} where ${scopeMatches(scope)} and state = 'completed'`);
      return row ? storedFrom(row) : response;
    },

    /** After a 5xx or a crash-like failure: the key stays in flight at its recovery point, and a retry may resume at once. */
    async release(scope: KeyScope): Promise<void> {
      await db.execute(sql`update ${table} set locked_until = now() where ${scopeMatches(scope)} and state = 'in_flight'`);
    },

    /** Deletes keys past their retention (R-EVT-3); permanent uniqueness lives on the business rows. */
    async purgeExpired(batchSize = 5_000): Promise<number> {
      let total = 0;
      for (;;) {
        const purged = await db.execute(sql`
          delete from ${table} where ctid in (
            select ctid from ${table} where expires_at < now() and (state = 'completed' or locked_until < now()) limit ${batchSize})`);
        total += purged.count;
        if (purged.count < batchSize) return total;
      }
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
