import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sql } from 'postgres';
import { csvLine, LISTING_COLUMNS } from './copy-rows.js';
import { generateListing, generateOrgs, SEED_ORG_PREFIX } from './listing-generator.js';
import { Random } from './random.js';

export interface SeedOptions {
  /** How many scholarships to seed. */
  count: number;
  /** PRNG seed: the same seed gives the same catalog. */
  seed: number;
  /** Called as rows are written (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** COPY statements in flight at once (each on its own connection). */
  parallel?: number;
}

/** Rows per COPY statement: each fires the search-words trigger once, over its rows. */
const CHUNK = 5_000;
/** About one provider per 250 listings, at least 12, like a real marketplace's long tail. */
const orgCount = (listings: number) => Math.max(12, Math.ceil(listings / 250));

/** How many seeded scholarships exist (rows of seeded organizations). */
export async function countSeeded(sql: Sql): Promise<number> {
  const [row] = await sql<Array<{ n: number }>>`
    select count(*)::int as n from catalog.scholarships where provider_org_id like ${`${SEED_ORG_PREFIX}%`}`;
  return row?.n ?? 0;
}

/** Removes seeded data only: listings of seeded organizations, what points at them, the organizations. */
export async function removeSeeded(sql: Sql): Promise<void> {
  const prefix = `${SEED_ORG_PREFIX}%`;
  await sql.begin(async (tx) => {
    await tx`delete from catalog.applications a using catalog.scholarships s where s.id = a.scholarship_id and s.provider_org_id like ${prefix}`;
    await tx`delete from catalog.scholarships where provider_org_id like ${prefix}`;
    await tx`delete from catalog.provider_orgs where id like ${prefix}`;
  });
}

/**
 * Writes `count` generated scholarships with COPY (R-CAT-5 benchmark data):
 * generation streams straight into the connection, a few chunks in
 * parallel, so 100,000 listings take about a minute on a small machine.
 */
export async function seedScholarships(sql: Sql, options: SeedOptions): Promise<void> {
  const random = new Random(options.seed);
  const now = Date.now();
  const orgs = generateOrgs(orgCount(options.count), random);
  await sql`insert into catalog.provider_orgs ${sql(orgs.map((org) => ({ id: org.id, name: org.name, website: org.website })), 'id', 'name', 'website')}
            on conflict (id) do update set name = excluded.name, website = excluded.website`;

  let done = 0;
  let next = 0;
  const copyChunk = async (start: number, end: number) => {
    // Each chunk has its own PRNG stream, so parallel chunks stay deterministic.
    const chunkRandom = new Random(options.seed * 7919 + start);
    const lines = (function* () {
      for (let index = start; index < end; index++) yield csvLine(generateListing(index, orgs[index % orgs.length]!, chunkRandom, now));
    })();
    const writable = await sql`copy catalog.scholarships (${sql(LISTING_COLUMNS as unknown as string[])}) from stdin with (format csv)`.writable();
    await pipeline(Readable.from(lines), writable);
    done += end - start;
    options.onProgress?.(done, options.count);
  };
  const worker = async () => {
    while (next < options.count) {
      const start = next;
      next = Math.min(options.count, next + CHUNK);
      await copyChunk(start, next);
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 2 }, worker));
}
