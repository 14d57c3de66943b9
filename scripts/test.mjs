#!/usr/bin/env node
// `npm test`: the same set-up as `npm start` (pnpm, dependencies, data
// stack), then build → lint (turbo: build → typecheck → lint) → dependency
// cycles → unused code → the migrated test template → every package's and
// app's tests (and tests/ e2e, security, resilience) with real Postgres,
// Redis and NATS. Fails fast; prints a summary with the time of each step.
// Extra arguments go to the final `turbo run test` (e.g. `npm test -- --filter=@bursary/db`).
// Node built-ins only: this runs on a machine that has only Node and npm.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ScriptError, ensureDependencies, ensurePnpm, quietToolEnv, requireTls, stackUp, turboFlags } from './lib/bootstrap.mjs';
import { connect, ident, literal } from './lib/pg-wire.mjs';
import { liveChildren, run, stopAll } from './lib/proc.mjs';
import { ROOT, TEST_TEMPLATE_DATABASE, migratePlan, templateDatabaseTarget, withUrlParts } from './lib/services.mjs';
import { c, fail, formatDuration, isCI, say, warn } from './lib/ui.mjs';

const startedAt = Date.now();
// `npm test -- --prepare` stops after the test template and .data/test.env, so
// one package's tests can then run alone (`. .data/test.env && pnpm --filter <pkg> test`).
const prepareOnly = process.argv.includes('--prepare');
const extraTestArgs = process.argv.slice(2).filter((arg) => arg !== '--prepare');
/** @type {{ name: string, ms: number, status: 'passed' | 'failed' | 'skipped', note?: string }[]} */
const summary = [];
let current;
let interrupted = false;

let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    if (interrupted) {
      // One Ctrl-C can arrive twice (terminal + npm forwarding it); a later one forces.
      if (Date.now() - firstSignalAt < 1000) return;
      for (const child of liveChildren()) child.kill('SIGKILL');
      process.exit(130);
    }
    interrupted = true;
    firstSignalAt = Date.now();
    warn(`${signal} received: stopping${current ? ` (during "${current}")` : ''}`);
    await stopAll(10_000);
    printSummary(`interrupted during "${current ?? 'set-up'}"`);
    process.exit(130);
  });
}

// Node exits with 0 when its event loop runs dry, e.g. on a promise nothing will
// ever settle. For a test runner that would be a silent pass, so any exit that
// did not come from an explicit outcome below is a failure.
let concluded = false;
process.on('exit', (code) => {
  if (concluded || code !== 0) return;
  process.stderr.write(`\n✖ npm test FAILED: stopped during "${current ?? 'set-up'}" without an outcome (a bug in scripts/test.mjs)\n`);
  process.exitCode = 1;
});

function printSummary(outcome) {
  concluded = true;
  const width = Math.max(...summary.map((entry) => entry.name.length), 10);
  const lines = ['', c.bold('Summary'), ''];
  for (const entry of summary) {
    const mark = entry.status === 'passed' ? c.green('✔') : entry.status === 'failed' ? c.red('✖') : c.gray('–');
    const note = entry.note ? c.gray(`  ${entry.note}`) : '';
    lines.push(`  ${mark} ${entry.name.padEnd(width)}  ${formatDuration(entry.ms).padStart(7)}${note}`);
  }
  lines.push('');
  const total = formatDuration(Date.now() - startedAt);
  if (outcome === 'prepared') lines.push(c.bold(c.green(`✔ test environment prepared in ${total} (tests not run)`)));
  else if (outcome === 'passed') lines.push(c.bold(c.green(`✔ npm test PASSED: all ${summary.length} steps green in ${total}`)));
  else lines.push(c.bold(c.red(`✖ npm test FAILED: ${outcome} (after ${total})`)));
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Runs one step; a failure prints the summary and exits non-zero. */
async function step(name, fn) {
  current = name;
  if (isCI) process.stdout.write(`\n=== ${name}\n`);
  else process.stdout.write(`\n${c.bold(c.cyan(`▶ ${name}`))}\n`);
  const began = Date.now();
  let outcome;
  try {
    outcome = (await fn()) ?? {};
  } catch (error) {
    if (interrupted) return new Promise(() => undefined); // the signal handler exits
    const message = error instanceof ScriptError ? error.message : (error?.stack ?? String(error));
    summary.push({ name, ms: Date.now() - began, status: 'failed' });
    fail(message);
    printSummary(`step "${name}" failed`);
    process.exit(1);
  }
  if (interrupted) return new Promise(() => undefined);
  summary.push({ name, ms: Date.now() - began, status: outcome.skipped ? 'skipped' : 'passed', note: outcome.note });
  return outcome.value;
}

async function pnpm(args, env = {}) {
  const result = await run('pnpm', args, { cwd: ROOT, env: { ...process.env, ...quietToolEnv(), ...env } });
  if (result.code !== 0) throw new ScriptError(`pnpm ${args.join(' ')} exited with code ${result.code}${result.signal ? ` (${result.signal})` : ''}`);
}

// ------------------------------------------------------- test template ----

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const entries = [];
  const walk = (path) => {
    for (const name of readdirSync(path).sort()) {
      const child = join(path, name);
      if (statSync(child).isDirectory()) walk(child);
      else entries.push(child);
    }
  };
  walk(dir);
  return entries;
}

/**
 * What the template's content depends on: each service's migrations and
 * compiled migrate command, the shared migration runner, and the role/env
 * plan. Unchanged → the template is reused, so a second `npm test` (or one
 * running beside another engineer's) does not drop a database others clone.
 */
function templateFingerprint(migrations) {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(migrations.map((entry) => ({ name: entry.name, env: entry.env.DATABASE_URL }))));
  const files = [...filesUnder(join(ROOT, 'packages/db/dist'))];
  for (const entry of migrations) {
    files.push(entry.script);
    for (const folder of ['migrations', 'drizzle', 'dist/db', 'dist/migrations']) files.push(...filesUnder(join(entry.cwd, folder)));
  }
  for (const file of files) {
    hash.update(`${relative(ROOT, file)}\0`);
    hash.update(readFileSync(file));
  }
  return `bursary-template ${hash.digest('hex').slice(0, 32)}`;
}

async function prepareTemplate(stack) {
  const target = templateDatabaseTarget(stack);
  const { migrations, skipped } = migratePlan(stack, target, 'test');
  for (const name of skipped) warn(`apps/${name}/dist/migrate.js not found: ${name} has no tables in ${TEST_TEMPLATE_DATABASE} (not built yet?)`);
  const fingerprint = templateFingerprint(migrations);
  const admin = connect(withUrlParts(stack.PG_ADMIN_URL, { database: 'postgres' }));
  try {
    const [existing] = await admin.query(
      `select shobj_description(oid, 'pg_database') from pg_database where datname = ${literal(TEST_TEMPLATE_DATABASE)}`,
    );
    if (existing && existing[0] === fingerprint && process.env.BURSARY_TEST_FRESH_TEMPLATE !== '1') {
      return { note: `${TEST_TEMPLATE_DATABASE} up to date (migrations unchanged)` };
    }
    say(`(re)creating ${TEST_TEMPLATE_DATABASE} on ${new URL(stack.PG_ADMIN_URL).host}`);
    await admin.query(`drop database if exists ${ident(TEST_TEMPLATE_DATABASE)} with (force)`);
    await admin.query(`create database ${ident(TEST_TEMPLATE_DATABASE)}`);

    const results = await Promise.all(
      migrations.map(async (entry) => ({
        entry,
        result: await run(process.execPath, [entry.script], { cwd: entry.cwd, env: { ...process.env, ...entry.env }, mode: 'capture' }),
      })),
    );
    const failed = results.filter(({ result }) => result.code !== 0);
    for (const { entry, result } of failed) {
      process.stderr.write(`\n${c.red(`--- ${entry.name} migrate (exit ${result.code}) ---`)}\n${result.output}\n`);
    }
    if (failed.length > 0) {
      await admin.query(`drop database if exists ${ident(TEST_TEMPLATE_DATABASE)} with (force)`);
      throw new ScriptError(`migrating ${TEST_TEMPLATE_DATABASE} failed for ${failed.map(({ entry }) => entry.name).join(', ')}`);
    }

    // CREATE DATABASE … TEMPLATE needs a template nobody is connected to.
    const countSql = `select count(*) from pg_stat_activity where datname = ${literal(TEST_TEMPLATE_DATABASE)}`;
    const deadline = Date.now() + 5000;
    while (Number((await admin.query(countSql))[0]?.[0] ?? 0) > 0) {
      if (Date.now() > deadline) {
        warn(`connections to ${TEST_TEMPLATE_DATABASE} remained after the migrate commands exited; terminating them`);
        await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity where datname = ${literal(TEST_TEMPLATE_DATABASE)} and pid <> pg_backend_pid()`,
        );
        break;
      }
      await sleep(100);
    }
    await admin.query(`comment on database ${ident(TEST_TEMPLATE_DATABASE)} is ${literal(fingerprint)}`);
    const migrated = migrations.map((entry) => entry.name);
    return { note: migrated.length > 0 ? `migrated: ${migrated.join(', ')}` : 'empty: no service has dist/migrate.js yet' };
  } finally {
    await admin.end();
  }
}

/**
 * The environment of the test step, printed and saved to .data/test.env, so
 * one package's tests can be run by hand afterwards (README "Tests").
 */
function printTestEnv(env) {
  const quote = (value) => `'${String(value).replace(/'/g, `'\\''`)}'`;
  const lines = Object.entries(env).map(([key, value]) => `export ${key}=${quote(value)}`);
  const file = join(ROOT, '.data', 'test.env');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `# written by scripts/test.mjs (npm test)\n${lines.join('\n')}\n`, { mode: 0o600 });
  process.stdout.write(
    `\n${c.gray('Test environment (also in .data/test.env; `. .data/test.env && pnpm --filter <package> test` runs one package):')}\n` +
      `${lines.map((line) => c.gray(`  ${line}`)).join('\n')}\n`,
  );
}

// --------------------------------------------------------------- main ----

async function main() {
  await step('pnpm', async () => ({ note: `pnpm ${await ensurePnpm()}` }));
  await step('install', async () => ({ note: (await ensureDependencies()) ? 'pnpm install --frozen-lockfile' : 'up to date' }));
  const stack = await step('data stack', async () => {
    const env = await stackUp();
    requireTls(env, 'so the TLS tests (verify-full, R-DB-1) cannot run');
    return { value: env };
  });

  const turbo = (task, extra = []) => pnpm(['turbo', 'run', task, ...turboFlags(), ...extra]);
  await step('build', () => turbo('build', ['--output-logs=errors-only']));
  if (!prepareOnly) {
    await step('lint + typecheck', () => turbo('lint', ['--output-logs=errors-only']));
    await step('dependency cycles', () => pnpm(['run', 'check:cycles']));
    await step('unused code', () => pnpm(['run', 'check:unused']));
  }
  await step(`test template (${TEST_TEMPLATE_DATABASE})`, () => prepareTemplate(stack));

  const testEnv = {
    APP_ENV: 'test',
    BURSARY_TEST_PG_ADMIN_URL: withUrlParts(stack.PG_ADMIN_URL, { database: 'postgres' }),
    BURSARY_TEST_PG_TEMPLATE: TEST_TEMPLATE_DATABASE,
    BURSARY_TEST_PG_TLS_ADMIN_URL: stack.PG_TLS_ADMIN_URL,
    BURSARY_TEST_PG_TLS_CA_FILE: stack.PG_TLS_CA_FILE,
    PG_ADMIN_URL: stack.PG_ADMIN_URL,
    PG_TLS_ADMIN_URL: stack.PG_TLS_ADMIN_URL,
    PG_TLS_CA_FILE: stack.PG_TLS_CA_FILE,
    REDIS_URL: stack.REDIS_URL,
    NATS_URL: stack.NATS_URL,
  };
  printTestEnv(testEnv);
  if (prepareOnly) {
    printSummary('prepared');
    process.exit(0);
  }
  await step('tests', () =>
    pnpm(['turbo', 'run', 'test', '--concurrency=2', '--output-logs=new-only', '--log-order=grouped', ...turboFlags(), ...extraTestArgs], testEnv),
  );

  printSummary('passed');
  process.exit(0);
}

main().catch((error) => {
  fail(error?.stack ?? String(error));
  printSummary('internal error in scripts/test.mjs');
  process.exit(1);
});
