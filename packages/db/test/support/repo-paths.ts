import { fileURLToPath } from 'node:url';

/** The monorepo root, from packages/db/test/support. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CERTS_DIR = `${REPO_ROOT}infra/certs/generated`;
