import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from './repo-paths.js';

export interface TlsCluster {
  /** postgres://postgres:…@localhost:5433/postgres */
  adminUrl: string;
  caFile: string;
}

let cached: Promise<TlsCluster> | undefined;

/**
 * The TLS-only cluster of infra/postgres-tls.sh (R-DB-1): from PG_TLS_ADMIN_URL /
 * PG_TLS_CA_FILE when the runner exported them, else from the script's `env`.
 */
export function tlsCluster(): Promise<TlsCluster> {
  cached ??= (async () => {
    const fromEnv = { adminUrl: process.env['PG_TLS_ADMIN_URL'], caFile: process.env['PG_TLS_CA_FILE'] };
    if (fromEnv.adminUrl && fromEnv.caFile) return { adminUrl: fromEnv.adminUrl, caFile: fromEnv.caFile };
    try {
      const { stdout } = await promisify(execFile)('bash', [`${REPO_ROOT}infra/postgres-tls.sh`, 'env'], { timeout: 10_000 });
      const lines = Object.fromEntries(stdout.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      const adminUrl = lines['PG_TLS_ADMIN_URL'];
      const caFile = lines['PG_TLS_CA_FILE'];
      if (adminUrl && caFile) return { adminUrl, caFile };
    } catch {
      // Reported below with the fix.
    }
    throw new Error('The TLS Postgres is not available: run `bash infra/postgres-tls.sh up` as root (or export PG_TLS_ADMIN_URL and PG_TLS_CA_FILE).');
  })();
  return cached;
}
