// `npm run seed -- --scholarships 100000` (a large catalog, replacing the
// previous seeded one) or, as `npm start` runs it, no arguments: a small demo
// catalog unless seeded data is already there. Seeded rows belong to
// organizations whose id starts with "seed-"; nothing else is touched.
import { parseArgs } from 'node:util';
import { createDatabase } from '@bursary/db';
import { SingleBar } from 'cli-progress';
import { countSeeded, removeSeeded, seedScholarships } from './seed-catalog.js';

const DEMO_SCHOLARSHIPS = 300;

const { values } = parseArgs({
  options: {
    scholarships: { type: 'string' },
    seed: { type: 'string', default: '42' },
  },
});

const url = process.env['SEED_CATALOG_DATABASE_URL'] ?? process.env['DATABASE_URL'];
if (!url) {
  console.error('seed: SEED_CATALOG_DATABASE_URL (the catalog service role URL) is not set; run it through `npm run seed` or `npm start`');
  process.exit(1);
}
const requested = values.scholarships === undefined ? undefined : Number(values.scholarships);
if (requested !== undefined && (!Number.isInteger(requested) || requested < 1 || requested > 2_000_000)) {
  console.error(`seed: --scholarships must be an integer from 1 to 2000000 (got "${values.scholarships}")`);
  process.exit(1);
}
const seed = Number(values.seed);

const quiet = { info: () => undefined, warn: (o: object, m?: string) => console.warn(m ?? '', o), error: (o: object, m?: string) => console.error(m ?? '', o) };
const database = createDatabase({
  url,
  tls: process.env['DATABASE_TLS'] === 'disable' ? 'disable' : 'verify-full',
  caFile: process.env['DATABASE_CA_FILE'],
  requireVerifiedTls: false,
  poolMax: 3,
  idleTimeoutS: 10,
  maxLifetimeS: 600,
  statementTimeoutMs: 600_000,
  connectTimeoutS: 10,
  applicationName: 'seed',
  logger: quiet,
});

try {
  const { sql } = database;
  const existing = await countSeeded(sql);
  const count = requested ?? DEMO_SCHOLARSHIPS;
  if (requested === undefined && existing > 0) {
    console.log(`seed: ${existing} demo scholarships already there; nothing to do (npm run seed -- --scholarships N replaces them)`);
  } else {
    if (existing > 0) {
      console.log(`seed: removing ${existing} previously seeded scholarships`);
      await removeSeeded(sql);
    }
    const began = Date.now();
    const bar = new SingleBar({
      format: 'seed |{bar}| {percentage}% | {value}/{total} scholarships | {speed}/s | ETA {eta_formatted}',
      noTTYOutput: true,
      notTTYSchedule: 2_000,
      hideCursor: true,
    });
    bar.start(count, 0, { speed: 0 });
    await seedScholarships(sql, {
      count,
      seed,
      onProgress: (done) => bar.update(done, { speed: Math.round(done / Math.max(0.001, (Date.now() - began) / 1000)) }),
    });
    bar.stop();
    console.log(`seed: ${count} scholarships in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  }
} catch (error) {
  console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
