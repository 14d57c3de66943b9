import { outboxTable } from '@bursary/events';
import { sql } from 'drizzle-orm';
import { bigint, check, customType, index, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Everything accounts stores lives in its own schema, reachable only by its own role. */
export const accountsSchema = pgSchema('accounts');

/** SHA-256 digests of bearer secrets (refresh and reset tokens): never the token itself. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** A scholarship provider: its users log into the provider portal (R-ID-1). */
export const organizations = accountsSchema.table('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const users = accountsSchema.table(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Normalized (NFKC, trimmed, lower-cased): one account per address however it is typed. */
    email: text('email').notNull().unique(),
    /** An argon2id PHC string (R-ID-2): algorithm, parameters and salt travel with the hash. */
    passwordHash: text('password_hash').notNull(),
    roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
    providerOrgId: uuid('provider_org_id').references(() => organizations.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // A provider user always has an organization, and only provider users have one.
    check('users_provider_org_check', sql`(${table.providerOrgId} is not null) = ('provider' = any(${table.roles}))`),
  ],
);

/**
 * One login: the family of refresh tokens that descend from it by rotation.
 * Revoking the session (logout, reuse detected, password reset) kills every
 * token of the family at once.
 */
export const sessions = accountsSchema.table(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Absolute end of the family, however often it is refreshed. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
  },
  (table) => [index('sessions_user_idx').on(table.userId)],
);

export const refreshTokens = accountsSchema.table(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id),
    tokenHash: bytea('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set when the token was exchanged for its successor: presenting it again is reuse. */
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
  },
  (table) => [index('refresh_tokens_session_idx').on(table.sessionId)],
);

/**
 * A password reset request. The token is minted by the mailer when it sends
 * the email (so it exists nowhere but in the email and as this hash).
 */
export const passwordResets = accountsSchema.table(
  'password_resets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    tokenHash: bytea('token_hash').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Used, or superseded by a password change: either way it never works again. */
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
  },
  (table) => [index('password_resets_user_idx').on(table.userId)],
);

/**
 * Access-token signing keys (Ed25519). Every instance reads the same rows, so
 * a rotation is one insert: the new key is published in the JWKS from
 * `created_at`, signs from `activates_at`, and the key it replaces stays
 * published until the last token it signed has expired.
 */
export const signingKeys = accountsSchema.table('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  publicJwk: jsonb('public_jwk').notNull(),
  /** PKCS#8, AES-256-GCM encrypted with SIGNING_KEY_ENCRYPTION_KEY; dropped once the key is retired. */
  privateKeyEncrypted: text('private_key_encrypted'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  activatesAt: timestamp('activates_at', { withTimezone: true }).notNull(),
});

/**
 * The audit trail of R-ID-3. Append-only: the service role may only insert
 * and read it (grants and triggers in migration 0003). User id, client ip and
 * request id, never an email, password or token.
 */
export const auditLog = accountsSchema.table(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
    action: text('action').notNull(),
    outcome: text('outcome').notNull(),
    userId: uuid('user_id'),
    ip: text('ip'),
    requestId: text('request_id'),
    /** Non-identifying facts (a failure reason, a role); closed shape per action, checked in code. */
    details: jsonb('details').notNull().default(sql`'{}'::jsonb`),
  },
  (table) => [index('audit_log_user_idx').on(table.userId, table.occurredAt)],
);

/** Domain events written in the same transaction as the change they describe (R-EVT-1). */
export const outbox = outboxTable(accountsSchema);
