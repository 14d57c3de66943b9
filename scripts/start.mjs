#!/usr/bin/env node
// `npm start`: pnpm → dependencies → data stack → build → migrate → seed →
// every service, worker and dev tool with prefixed logs → ready → URLs.
// Ctrl-C (or SIGTERM) stops every child gracefully and exits 0.
// BURSARY_RAW_LOGS=1 shows the services' raw pino JSON lines.
// Node built-ins only: this runs on a machine that has only Node and npm.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { ScriptError, ensureDependencies, ensurePnpm, quietToolEnv, requireTls, stackUp, turboFlags } from './lib/bootstrap.mjs';
import { liveChildren, portFree, probe, run, stopAll, track } from './lib/proc.mjs';
import { DEV_DATABASE, ROOT, SERVICES, devDatabaseTarget, migratePlan, seedPlan, startPlan } from './lib/services.mjs';
import { c, createPrefixer, fail, formatDuration, paletteColour, say, warn } from './lib/ui.mjs';

const RAW_LOGS = process.env.BURSARY_RAW_LOGS === '1';
const READY_TIMEOUT_MS = Number(process.env.BURSARY_READY_TIMEOUT_S || 90) * 1000;
const STOP_GRACE_MS = 20_000; // above the services' SHUTDOWN_GRACE_MS (10 s)
const startedAt = Date.now();

process.stdout.on('error', () => undefined); // `npm start | head` must not crash us

// ------------------------------------------------------------ signals ----

let phase = 'setup'; // setup → running → stopping
/** @type {Map<import('node:child_process').ChildProcess, object>} */
const managed = new Map();

async function shutdown(reason, exitCode) {
  if (phase === 'stopping') return;
  const wasRunning = phase === 'running';
  phase = 'stopping';
  const live = liveChildren().length;
  if (wasRunning) say(`${reason}: ${live > 0 ? `stopping ${live} process${live === 1 ? '' : 'es'} (SIGTERM; they drain and exit)` : 'stopping'}`);
  await stopAll(STOP_GRACE_MS);
  let clean = true;
  for (const [, info] of managed) {
    const ok = info.exitCode === 0 || (info.kind === 'tool' && info.exitSignal === 'SIGTERM');
    if (!ok && !info.unexpected) {
      clean = false;
      warn(`${info.name} did not exit cleanly (${info.exitSignal ? `signal ${info.exitSignal}` : `exit code ${info.exitCode}`})`);
    }
  }
  if (wasRunning && clean && exitCode === 0) say(`stopped cleanly after ${formatDuration(Date.now() - startedAt)}`);
  process.exit(exitCode !== 0 ? exitCode : clean ? 0 : 1);
}

let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (phase === 'stopping') {
      // One Ctrl-C can arrive twice (from the terminal and forwarded by npm):
      // only a later one means "stop waiting".
      if (Date.now() - firstSignalAt < 1000) return;
      warn('forced stop');
      for (const child of liveChildren()) child.kill('SIGKILL');
      process.exit(130);
    }
    firstSignalAt = Date.now();
    void shutdown(`${signal} received`, phase === 'running' ? 0 : 130);
  });
}

// ------------------------------------------------------------- helpers ----

async function checkPorts(entries) {
  const taken = [];
  for (const { port, owner } of entries) {
    if (!(await portFree(port))) taken.push({ port, owner });
  }
  if (taken.length === 0) return;
  const messages = [];
  if (taken.some((entry) => entry.port === 8080)) {
    messages.push(
      'port 8080 (the gateway) is already in use: is another `npm start` running?\n' +
        '  Stop it (Ctrl-C in its terminal) or free the port (`ss -ltnp "sport = :8080"` shows who holds it).',
    );
  }
  const others = taken.filter((entry) => entry.port !== 8080);
  if (others.length > 0) messages.push(`ports already in use: ${others.map((entry) => `${entry.port} (${entry.owner})`).join(', ')}`);
  throw new ScriptError(messages.join('\n'));
}

function staticPorts() {
  return SERVICES.flatMap((service) => [
    { port: service.port, owner: service.name },
    { port: service.port + 1000, owner: `${service.name} metrics` },
  ]);
}

async function step(title, fn) {
  const began = Date.now();
  say(title);
  const result = await fn();
  return { result, ms: Date.now() - began };
}

async function migrateAll(stack) {
  const { migrations, skipped } = migratePlan(stack, devDatabaseTarget(stack), 'development');
  for (const name of skipped) warn(`apps/${name}/dist/migrate.js not found: ${name} not migrated`);
  const width = Math.max(0, ...migrations.map((entry) => `${entry.name}:migrate`.length));
  const results = await Promise.all(
    migrations.map((entry, index) =>
      run(process.execPath, [entry.script], {
        cwd: entry.cwd,
        env: { ...process.env, ...entry.env },
        mode: 'prefix',
        prefixer: createPrefixer(`${entry.name}:migrate`, width, paletteColour(index), { raw: RAW_LOGS }),
      }).then((result) => ({ ...result, name: entry.name })),
    ),
  );
  const failed = results.filter((result) => result.code !== 0);
  if (failed.length > 0) {
    throw new ScriptError(`migration failed: ${failed.map((result) => `${result.name} (exit ${result.code})`).join(', ')} — see the lines above`);
  }
}

async function seed(stack) {
  const plan = seedPlan(stack);
  if (!plan) return;
  const result = await run(process.execPath, [plan.script], {
    cwd: plan.cwd,
    env: { ...process.env, ...plan.env },
    mode: 'prefix',
    prefixer: createPrefixer('seed', 4, c.gray, { raw: RAW_LOGS }),
  });
  if (result.code !== 0) throw new ScriptError(`tools/seed failed (exit ${result.code}) — see the lines above`);
}

function spawnProcess(entry, width, colour) {
  const prefixer = createPrefixer(entry.name, width, colour, { raw: RAW_LOGS });
  const child = spawn(process.execPath, [...(entry.nodeArgs ?? []), entry.script], {
    cwd: entry.cwd,
    env: { ...process.env, ...entry.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const info = { ...entry, exitCode: null, exitSignal: null, unexpected: false, startedAt: Date.now() };
  managed.set(child, info);
  child.stdout.on('data', (chunk) => prefixer.stdout.push(chunk));
  child.stderr.on('data', (chunk) => prefixer.stderr.push(chunk));
  child.once('error', (error) => {
    prefixer.writeLine(c.red(`could not start: ${error.message}`));
  });
  child.once('exit', (code, signal) => {
    prefixer.stdout.flush();
    prefixer.stderr.flush();
    info.exitCode = code;
    info.exitSignal = signal;
    info.exited = true;
    if (phase !== 'stopping') {
      info.unexpected = true;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      process.stderr.write(
        `\n${c.bold(c.red(`✖ ${entry.name} ${how} unexpectedly`))} ${c.red('— stopping everything else (its last lines are above)')}\n\n`,
      );
      void shutdown(`${entry.name} died`, 1);
    }
  });
  return info;
}

async function waitReady(info) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last;
  while (Date.now() < deadline && phase === 'running' && !info.exited) {
    last = await probe(info.port, info.healthPath);
    if (last.status === 200) return { ok: true };
    if (info.kind === 'tool' && last.status > 0 && last.status < 500) return { ok: true };
    // A worker need not listen at all: alive for a few seconds without a listener counts as running.
    if (info.kind === 'worker' && last.status === 0 && Date.now() - info.startedAt > 5000) return { ok: true, note: 'no health endpoint' };
    await sleep(250);
  }
  return { ok: false, last };
}

function printUrls(plan, stack, notReady) {
  const has = (name) => plan.some((entry) => entry.name === name);
  const row = (label, value) => `  ${label.padEnd(18)} ${value}`;
  const heading =
    notReady.length === 0
      ? c.bold(c.green('Bursary is running'))
      : c.bold(c.yellow(`Bursary is running, but not ready: ${notReady.map((result) => result.info.name).join(', ')} (see the warnings above)`));
  const lines = ['', heading, ''];
  if (has('gateway')) {
    lines.push(row('API (gateway)', c.cyan('http://localhost:8080')));
    lines.push(row('API docs', c.cyan('http://localhost:8080/docs')));
    lines.push(row('Readiness', 'http://localhost:8080/readyz'));
    lines.push(row('Gateway metrics', 'http://127.0.0.1:9080/metrics'));
  }
  const direct = plan.filter((entry) => entry.kind === 'service' && entry.name !== 'gateway');
  if (direct.length > 0) {
    lines.push(row('Services (direct)', direct.map((entry) => `${entry.name} :${entry.port}`).join(' · ')));
    lines.push(row('Service metrics', direct.map((entry) => `:${entry.port + 1000}/metrics`).join(' · ')));
  }
  const workers = plan.filter((entry) => entry.kind === 'worker');
  if (workers.length > 0) lines.push(row('Workers', workers.map((entry) => entry.name).join(' · ')));
  for (const tool of plan.filter((entry) => entry.kind === 'tool')) {
    const extra = tool.name === 'mail-sink' ? ' (SMTP 127.0.0.1:1025)' : '';
    lines.push(row(tool.label ?? tool.name, `http://127.0.0.1:${tool.port}${extra}`));
  }
  const tlsHost = stack.PG_TLS_ADMIN_URL ? new URL(stack.PG_TLS_ADMIN_URL).host : '?';
  lines.push(row('Postgres', `${new URL(stack.PG_ADMIN_URL).host} (admin) · ${tlsHost} (TLS, database ${DEV_DATABASE})`));
  lines.push(row('Redis / NATS', `${stack.REDIS_URL} · ${stack.NATS_URL}`));
  lines.push('', `  Started in ${formatDuration(Date.now() - startedAt)}. Press ${c.bold('Ctrl-C')} to stop.`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

// --------------------------------------------------------------- main ----

async function main() {
  await checkPorts(staticPorts());

  const pnpmVersion = await ensurePnpm();
  if (await ensureDependencies()) say(`dependencies installed (pnpm ${pnpmVersion})`);

  const { result: stack } = await step('data stack (infra/stack.sh up)', stackUp);
  requireTls(stack, 'so the services (which connect with verify-full) cannot start');

  const build = await step('building (pnpm turbo run build; cached when nothing changed)', () =>
    run('pnpm', ['turbo', 'run', 'build', '--output-logs=errors-only', ...turboFlags()], {
      cwd: ROOT,
      env: { ...process.env, ...quietToolEnv() },
    }),
  );
  if (build.result.code !== 0) throw new ScriptError('build failed (see above)');
  say(`built in ${formatDuration(build.ms)}`);

  const { processes, missing } = startPlan(stack);
  for (const file of missing) warn(`${file} not found (not built?): skipped`);
  if (processes.length === 0) throw new ScriptError('nothing to start: no apps/*/dist/server.js exists');

  await step(`migrating database "${DEV_DATABASE}" on the TLS Postgres`, () => migrateAll(stack));
  await seed(stack);

  await checkPorts(processes.flatMap((entry) => entry.ports.map((port) => ({ port, owner: entry.name }))));

  phase = 'running';
  const width = Math.max(...processes.map((entry) => entry.name.length));
  const infos = processes.map((entry, index) => spawnProcess(entry, width, paletteColour(index)));
  say(`started ${infos.map((info) => info.name).join(', ')}; waiting for readiness`);

  const results = await Promise.all(infos.map(async (info) => ({ info, ...(await waitReady(info)) })));
  if (phase !== 'running') return; // a child died; shutdown() is under way
  const notReady = results.filter((result) => !result.ok);
  for (const result of notReady) {
    const last = result.last;
    const detail = !last ? 'no answer' : last.status === 0 ? last.error : `HTTP ${last.status} ${last.body?.slice(0, 300) ?? ''}`;
    warn(`${result.info.name} is not ready after ${READY_TIMEOUT_MS / 1000}s (${result.info.healthPath}: ${detail}); still running — see its logs`);
  }
  printUrls(processes, stack, notReady);
}

main().catch((error) => {
  if (phase === 'stopping') return; // interrupted: shutdown() reports and exits
  fail(error instanceof ScriptError ? error.message : (error?.stack ?? String(error)));
  void shutdown('setup failed', 1);
});
