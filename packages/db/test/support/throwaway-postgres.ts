import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chown, copyFile, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const run = promisify(execFile);

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data directory fresh from initdb, copied by each throwaway cluster (see test/global-setup.ts). */
    pgDataDirTemplate: string | undefined;
  }
}

export interface ThrowawayPostgresOptions {
  /** Server certificate and key; absent: ssl = off (a plaintext-only server). */
  tls?: { certFile: string; keyFile: string };
  /** Start it right away (default true). */
  start?: boolean;
}

export interface ThrowawayPostgres {
  port: number;
  /** postgres://postgres@<host>:<port>/postgres (trust auth). */
  url(host?: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Copies a new certificate and key in and reloads: the rotation of R-DB-4, no restart. */
  rotateCertificate(certFile: string, keyFile: string): Promise<void>;
  destroy(): Promise<void>;
}

/** The newest installed server binaries (Debian: /usr/lib/postgresql/<major>/bin), or BURSARY_PG_BIN. */
function binDir(): string {
  const override = process.env['BURSARY_PG_BIN'];
  if (override) return override;
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(a) - Number(b)) : [];
  const newest = majors.at(-1);
  if (!newest) throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql), and BURSARY_PG_BIN is not set.');
  return join(base, newest, 'bin');
}

/** A port nobody listens on right now (DESIGN.md §3.14: no fixed ports). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const isRoot = process.getuid?.() === 0;

/** initdb and postgres refuse root (DESIGN.md §6): as root, run them as the postgres user. */
async function asServerUser(command: string, args: string[]): Promise<string> {
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const { stdout } = await run(file, argv, { timeout: 60_000 });
  return stdout;
}

async function owner(): Promise<{ uid: number; gid: number } | undefined> {
  if (!isRoot) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A fresh data directory at `root`/data: initdb, as the server user. */
async function initDataDir(root: string): Promise<string> {
  const data = join(root, 'data');
  const ids = await owner();
  if (ids) await chown(root, ids.uid, ids.gid);
  await asServerUser(join(binDir(), 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  return data;
}

/**
 * One initdb per test run (vitest globalSetup): each throwaway cluster then
 * starts from a copy, which takes a fraction of initdb's second of CPU.
 * Returns the template dir and its removal.
 */
export async function createDataDirTemplate(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'bursary-pg-template-'));
  const dir = await initDataDir(root);
  return { dir, remove: () => rm(root, { recursive: true, force: true }) };
}

/**
 * A private PostgreSQL cluster in a temp dir on a free port, for the cases the
 * shared TLS cluster must never be put through: restarts, plaintext-only,
 * a certificate for the wrong host, a short-lived certificate.
 */
export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const bin = binDir();
  const root = await mkdtemp(join(tmpdir(), 'bursary-pg-'));
  const ids = await owner();
  if (ids) await chown(root, ids.uid, ids.gid);
  const template = inject('pgDataDirTemplate');
  const data = join(root, 'data');
  if (template) await run('cp', ['-a', template, data]);
  else await initDataDir(root);

  const port = await freePort();
  const install = async (source: string, name: string, mode: number) => {
    const target = join(data, name);
    await copyFile(source, target);
    await chmod(target, mode);
    if (ids) await chown(target, ids.uid, ids.gid);
  };
  if (options.tls) {
    await install(options.tls.certFile, 'server.crt', 0o644);
    await install(options.tls.keyFile, 'server.key', 0o600);
  }
  await appendFile(
    join(data, 'postgresql.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${root}'`,
      'fsync = off',
      'max_connections = 30',
      options.tls ? `ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_min_protocol_version = 'TLSv1.2'` : 'ssl = off',
      '',
    ].join('\n'),
  );
  // Trust is fine here: loopback only, a temp cluster, and the tests are about the transport, not the password.
  await writeFile(join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');

  const pgCtl = (...args: string[]) => asServerUser(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  let running = false;
  const cluster: ThrowawayPostgres = {
    port,
    url: (host = '127.0.0.1') => `postgres://postgres@${host}:${port}/postgres`,
    async start() {
      await pgCtl('-l', join(root, 'server.log'), '-w', '-t', '30', 'start');
      running = true;
    },
    async stop() {
      await pgCtl('-m', 'fast', '-w', '-t', '30', 'stop');
      running = false;
    },
    async rotateCertificate(certFile, keyFile) {
      await install(certFile, 'server.crt', 0o644);
      await install(keyFile, 'server.key', 0o600);
      await pgCtl('reload');
    },
    async destroy() {
      if (running) await cluster.stop().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
  if (options.start !== false) {
    try {
      await cluster.start();
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
  }
  return cluster;
}
