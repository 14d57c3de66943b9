#!/usr/bin/env node
// `npm run seed -- --scholarships 100000`: a large, realistic catalog in the
// development database (the TLS Postgres `npm start` uses), replacing the
// previously seeded scholarships; provider-created listings are kept.
// Without arguments it seeds the demo set, as `npm start` does.
// Node built-ins only: this runs on a machine that has only Node and npm.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptError, ensureDependencies, ensurePnpm, quietToolEnv, requireTls, stackUp, turboFlags } from './lib/bootstrap.mjs';
import { run } from './lib/proc.mjs';
import { ROOT, devDatabaseTarget, migratePlan, seedPlan } from './lib/services.mjs';
import { fail, say } from './lib/ui.mjs';

async function main() {
  await ensurePnpm();
  await ensureDependencies();
  const stack = await stackUp();
  requireTls(stack, 'so there is no development database to seed');

  // The seeder and the catalog migration it relies on; cached when nothing changed.
  if (!existsSync(join(ROOT, 'tools/seed/dist/seed.js')) || !existsSync(join(ROOT, 'apps/catalog/dist/migrate.js'))) {
    say('building the catalog and the seeder');
    const build = await run('pnpm', ['turbo', 'run', 'build', '--filter', '@bursary/seed...', '--filter', '@bursary/catalog-service...', '--output-logs=errors-only', ...turboFlags()], {
      cwd: ROOT,
      env: { ...process.env, ...quietToolEnv() },
    });
    if (build.code !== 0) throw new ScriptError('build failed (see above)');
  }
  const catalog = migratePlan(stack, devDatabaseTarget(stack), 'development').migrations.find((entry) => entry.name === 'catalog');
  if (!catalog) throw new ScriptError('apps/catalog/dist/migrate.js not found');
  const migrate = await run(process.execPath, [catalog.script], { cwd: catalog.cwd, env: { ...process.env, ...catalog.env } });
  if (migrate.code !== 0) throw new ScriptError(`catalog migration failed (exit ${migrate.code})`);

  const plan = seedPlan(stack);
  const seed = await run(process.execPath, [plan.script, ...process.argv.slice(2)], { cwd: plan.cwd, env: { ...process.env, ...plan.env } });
  if (seed.code !== 0) throw new ScriptError(`tools/seed failed (exit ${seed.code})`);
}

main().catch((error) => {
  fail(error instanceof ScriptError ? error.message : (error?.stack ?? String(error)));
  process.exit(1);
});
