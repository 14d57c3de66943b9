import type { FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { serviceTestEnv } from './test-env.js';
import { waitFor } from './wait-for.js';

const SERVICES_WITH_SCHEMAS = ['accounts', 'catalog', 'payments', 'webhooks'];

/**
 * Readiness and least privilege of one service with a database, through its
 * real composition: `build(env)` loads the service config from `env` and
 * returns its buildApp result.
 */
export function describeServiceReadiness(service: string, build: (env: Record<string, string | undefined>) => Promise<FastifyInstance>): void {
  describe(`${service} readiness and database role`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('R-DB-5: /readyz is 200 once its migrated schema, NATS and the event relay answer', async () => {
      const app = await build(serviceTestEnv({ DATABASE_URL: database.urlFor(service) }));
      try {
        // Connections are made in the background after boot; readiness turns 200 when they are up.
        const response = await waitFor(async () => {
          const r = await app.inject({ method: 'GET', url: '/readyz' });
          return r.statusCode === 200 ? r : undefined;
        }, { what: '/readyz 200' });
        expect(response.json()).toMatchObject({ status: 'ready', checks: { postgres: { ok: true }, nats: { ok: true } } });
      } finally {
        await app.close();
      }
    });

    it('/readyz is 503 problem+json naming postgres when the database cannot be reached', async () => {
      const app = await build(serviceTestEnv({ DATABASE_URL: `postgres://bursary_${service}:x@127.0.0.1:1/none`, DATABASE_CONNECT_TIMEOUT_S: '1' }));
      try {
        const response = await app.inject({ method: 'GET', url: '/readyz' });
        expect(response.statusCode).toBe(503);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json()).toMatchObject({ code: 'NOT_READY', dependencies: expect.arrayContaining(['postgres']) });
      } finally {
        await app.close();
      }
    });

    it('R-DB-5: the service role has least privilege: rows yes, DDL and other schemas no', async () => {
      const sql = postgres(database.urlFor(service), { max: 1, onnotice: () => undefined });
      try {
        const [who] = await sql`select current_user as role, current_schema() as schema, rolsuper, rolcreatedb, rolcreaterole from pg_roles where rolname = current_user`;
        expect(who).toMatchObject({ role: `bursary_${service}`, schema: service, rolsuper: false, rolcreatedb: false, rolcreaterole: false });
        await expect(sql.unsafe(`create table ${service}.intruder (id int)`)).rejects.toThrow(/permission denied/);
        await expect(sql.unsafe(`drop schema ${service} cascade`)).rejects.toThrow(/must be owner|permission denied/);
        await expect(sql.unsafe(`delete from ${service}.__migrations`)).rejects.toThrow(/permission denied/);
        for (const other of SERVICES_WITH_SCHEMAS.filter((s) => s !== service)) {
          await expect(sql.unsafe(`select 1 from ${other}.__migrations limit 1`)).rejects.toThrow(/permission denied/);
        }
      } finally {
        await sql.end();
      }
    });
  });
}
