import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CERTS_DIR, REPO_ROOT } from './repo-paths.js';

/** Material of infra/certs/generate.sh (made by `bash infra/postgres-tls.sh up`). */
export const certs = {
  ca: join(CERTS_DIR, 'ca.crt'),
  otherCa: join(CERTS_DIR, 'other-ca.crt'),
  server: { certFile: join(CERTS_DIR, 'server.crt'), keyFile: join(CERTS_DIR, 'server.key') },
  wrongHost: { certFile: join(CERTS_DIR, 'wrong-host.crt'), keyFile: join(CERTS_DIR, 'wrong-host.key') },
};

export interface IssuedCertificates {
  dir: string;
  /** A certificate from the local CA valid for `days`, e.g. a short-lived one for the expiry check. */
  issue(name: string, san: string, days: number): Promise<{ certFile: string; keyFile: string }>;
  remove(): Promise<void>;
}

/** A temp dir of certificates issued by the local CA through `generate.sh issue`. */
export async function issuedCertificates(): Promise<IssuedCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'bursary-certs-'));
  return {
    dir,
    async issue(name, san, days) {
      await promisify(execFile)('bash', [join(REPO_ROOT, 'infra/certs/generate.sh'), 'issue', name, san, String(days), dir], { timeout: 30_000 });
      return { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
