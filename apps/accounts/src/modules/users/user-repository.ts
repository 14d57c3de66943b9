import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { organizations, users } from '../../db/schema.js';

export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string;
  roles: string[];
  providerOrgId: string | null;
  createdAt: Date;
}

const columns = {
  id: users.id,
  email: users.email,
  passwordHash: users.passwordHash,
  roles: users.roles,
  providerOrgId: users.providerOrgId,
  createdAt: users.createdAt,
};

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRecord | undefined> {
  const [row] = await db.select(columns).from(users).where(eq(users.email, email)).limit(1);
  return row;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRecord | undefined> {
  const [row] = await db.select(columns).from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** Inserts the user unless the email is taken; undefined when it was (the caller decides what that reveals). */
export async function insertUser(db: Queryable, values: { email: string; passwordHash: string; roles?: string[]; providerOrgId?: string }): Promise<UserRecord | undefined> {
  const [row] = await db
    .insert(users)
    .values({ email: values.email, passwordHash: values.passwordHash, roles: values.roles ?? [], providerOrgId: values.providerOrgId ?? null })
    .onConflictDoNothing({ target: users.email })
    .returning(columns);
  return row;
}

export async function setPasswordHash(db: Queryable, userId: string, passwordHash: string, changed: boolean): Promise<void> {
  await db
    .update(users)
    .set(changed ? { passwordHash, passwordChangedAt: sql`now()` } : { passwordHash })
    .where(eq(users.id, userId));
}

/** Adds a role (and for `provider` the organization); false when the user already had it. */
export async function addRole(db: Queryable, userId: string, role: string, providerOrgId?: string): Promise<boolean> {
  const updated = await db
    .update(users)
    .set({ roles: sql`array_append(${users.roles}, ${role})`, ...(providerOrgId ? { providerOrgId } : {}) })
    .where(sql`${users.id} = ${userId} and not (${role} = any(${users.roles}))`)
    .returning({ id: users.id });
  return updated.length > 0;
}

export async function findOrganization(db: Queryable, id: string): Promise<{ id: string; name: string } | undefined> {
  const [row] = await db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.id, id)).limit(1);
  return row;
}

export async function insertOrganization(db: Queryable, name: string): Promise<{ id: string; name: string }> {
  const [row] = await db.insert(organizations).values({ name }).returning({ id: organizations.id, name: organizations.name });
  return row!;
}
