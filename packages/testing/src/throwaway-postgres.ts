import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface ThrowawayPostgres {
  port: number;
  /** Superuser URL (trust auth on 127.0.0.1) to database `postgres`. */
  adminUrl: string;
  start(): void;
  stop(): void;
  destroy(): void;
}

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
  return join(root, versions[0], 'bin');
}

/** initdb refuses root, so as root the server runs as the postgres user. */
function asPostgres(command: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  execFileSync(file, argv, { stdio: 'pipe' });
}

export interface ThrowawayPostgresOptions {
  /**
   * Postgres's own durability settings (fsync, synchronous_commit and
   * full_page_writes on), as production runs, for benchmarks. By default they
   * are off: tests need speed, and their data dies with the cluster.
   */
  durable?: boolean;
}

/**
 * A Postgres cluster of the test's own on a free port, so the test may stop
 * and start it (restart survival, readiness) without touching the shared server.
 */
export async function startThrowawayPostgres(settings: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'bursary-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const pgCtl = join(bin, 'pg_ctl');
  const durability = settings.durable === true ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${durability}`;
  const start = () => asPostgres(pgCtl, ['-D', data, '-o', options, '-l', join(dir, 'postgres.log'), '-w', '-t', '30', 'start']);
  const stop = () => asPostgres(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  return {
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy() {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
