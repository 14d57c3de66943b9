// The set-up `npm start` and `npm test` share: pnpm, dependencies, the data
// stack. Runs on a fresh machine with only Node and npm, so Node built-ins only.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { run } from './proc.mjs';
import { ROOT } from './services.mjs';
import { colourEnabled, say, warn } from './ui.mjs';

/** A set-up failure with a message for the user; the scripts print it and exit non-zero. */
export class ScriptError extends Error {}

/**
 * Variables for every tool we start: no telemetry, no update nags, and no
 * colour when we have none (turbo passes NO_COLOR/FORCE_COLOR through to
 * tasks, see turbo.json globalPassThroughEnv; otherwise it forces colour).
 */
export function quietToolEnv() {
  return {
    ...(colourEnabled ? {} : { NO_COLOR: '1', FORCE_COLOR: '0' }),
    TURBO_TELEMETRY_DISABLED: '1',
    TURBO_NO_UPDATE_NOTIFIER: '1',
    DO_NOT_TRACK: '1',
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    NPM_CONFIG_FUND: 'false',
    NPM_CONFIG_AUDIT: 'false',
  };
}

function pnpmVersionWanted() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const match = /^pnpm@(\d+\.\d+\.\d+)/.exec(pkg.packageManager ?? '');
  return match ? match[1] : '10';
}

function pnpmVersionOnPath() {
  const result = spawnSync('pnpm', ['--version'], { cwd: ROOT, encoding: 'utf8', env: process.env });
  if (result.status !== 0) return undefined;
  return result.stdout.trim().split('\n').pop();
}

function prependPath(dir) {
  process.env.PATH = `${dir}${delimiter}${process.env.PATH ?? ''}`;
}

/**
 * Makes `pnpm` (major 10, pinned by packageManager) callable on PATH for us
 * and every child (turbo runs tasks through it). corepack fails the
 * registry's signature check on this Node (DESIGN.md §6), so: pnpm already on
 * PATH → `npm i -g pnpm@<pinned>` → a shim running `npx --yes pnpm@<pinned>`.
 */
export async function ensurePnpm() {
  const wanted = pnpmVersionWanted();
  const major = wanted.split('.')[0];
  const found = pnpmVersionOnPath();
  if (found?.split('.')[0] === major) return found;
  if (found) warn(`pnpm ${found} is on PATH but this repository needs pnpm ${major}; installing pnpm@${wanted}`);
  else say(`installing pnpm@${wanted} (npm i -g pnpm@${wanted})`);

  const global = await run('npm', ['install', '--global', `pnpm@${wanted}`], {
    cwd: ROOT,
    mode: 'capture',
    env: { ...process.env, ...quietToolEnv() },
  });
  if (global.code === 0) {
    let version = pnpmVersionOnPath();
    if (version?.split('.')[0] !== major) {
      const prefix = spawnSync('npm', ['prefix', '--global'], { encoding: 'utf8' }).stdout.trim();
      if (prefix) prependPath(process.platform === 'win32' ? prefix : join(prefix, 'bin'));
      version = pnpmVersionOnPath();
    }
    if (version?.split('.')[0] === major) return version;
  }
  warn(`npm i -g pnpm@${wanted} failed or is not on PATH; using npx --yes pnpm@${wanted}`);
  const shimDir = join(ROOT, '.data', 'bin');
  mkdirSync(shimDir, { recursive: true });
  const shim = join(shimDir, 'pnpm');
  writeFileSync(shim, `#!/bin/sh\nexec npx --yes pnpm@${wanted} "$@"\n`);
  chmodSync(shim, 0o755);
  prependPath(shimDir);
  const version = pnpmVersionOnPath();
  if (version?.split('.')[0] !== major) {
    throw new ScriptError(`could not make pnpm ${major} available. Output of npm i -g:\n${global.output}`);
  }
  return version;
}

const HASH_FILE = join(ROOT, 'node_modules', '.bursary-install-hash');

function installInputsHash() {
  const hash = createHash('sha256');
  for (const file of ['pnpm-lock.yaml', 'package.json', 'pnpm-workspace.yaml', '.npmrc']) {
    const path = join(ROOT, file);
    hash.update(`${file}\0`);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

/**
 * `pnpm install --frozen-lockfile`, but only when node_modules is missing or
 * the lockfile (or workspace manifest) changed since the last install.
 * Returns true when it ran.
 */
export async function ensureDependencies() {
  const hash = installInputsHash();
  if (existsSync(join(ROOT, 'node_modules')) && existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8').trim() === hash) {
    return false;
  }
  say('installing dependencies (pnpm install --frozen-lockfile)');
  const result = await run('pnpm', ['install', '--frozen-lockfile', '--config.confirmModulesPurge=false'], {
    cwd: ROOT,
    env: { ...process.env, ...quietToolEnv() },
  });
  if (result.code !== 0) {
    throw new ScriptError(
      'pnpm install --frozen-lockfile failed (see above). If the lockfile is out of date, run `pnpm install` and commit pnpm-lock.yaml.',
    );
  }
  writeFileSync(HASH_FILE, `${hash}\n`);
  return true;
}

/** `bash infra/stack.sh up`, then its `env` output as an object. */
export async function stackUp() {
  const up = await run('bash', [join(ROOT, 'infra/stack.sh'), 'up'], { cwd: ROOT });
  if (up.code !== 0) {
    throw new ScriptError(`infra/stack.sh up failed (exit ${up.code}); see the messages above, or infra/README.md.`);
  }
  return stackEnv();
}

export function stackEnv() {
  const result = spawnSync('bash', [join(ROOT, 'infra/stack.sh'), 'env'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    throw new ScriptError('infra/stack.sh env failed');
  }
  const env = {};
  for (const line of result.stdout.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2];
  }
  for (const key of ['PG_ADMIN_URL', 'REDIS_URL', 'NATS_URL']) {
    if (!env[key]) {
      throw new ScriptError(`infra/stack.sh env printed no ${key}`);
    }
  }
  return env;
}

/** Stops with a clear message when the TLS Postgres (infra/postgres-tls.sh) is not available. */
export function requireTls(stack, why) {
  if (stack.PG_TLS_ADMIN_URL && stack.PG_TLS_CA_FILE) return;
  throw new ScriptError(
    `no TLS Postgres: infra/stack.sh env printed no PG_TLS_ADMIN_URL / PG_TLS_CA_FILE, ${why}.\n` +
      `  infra/postgres-tls.sh starts it (and generates its certificates); ` +
      `${existsSync(join(ROOT, 'infra/postgres-tls.sh')) ? 'it ran but printed nothing usable' : 'that file does not exist yet'}.\n` +
      '  Or export PG_TLS_ADMIN_URL and PG_TLS_CA_FILE for a TLS Postgres of your own.',
  );
}

/** Common flags for `pnpm turbo run …`. */
export function turboFlags() {
  return colourEnabled ? ['--color'] : ['--no-color'];
}
