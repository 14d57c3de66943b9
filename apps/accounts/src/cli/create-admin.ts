import { ROLES } from '@bursary/auth';
import { createPasswordHasher } from '../modules/passwords/password-hasher.js';
import { provisionUser } from '../modules/users/provisioning.js';
import { readPassword, runCli } from './cli-runtime.js';

// `pnpm --filter @bursary/accounts-service create-admin -- --email admin@example.com`
// Creates the account (asking for its password) or grants admin to an existing one.
// The only way to make an admin: no endpoint can (R-ID-1).
await runCli('create-admin', async ({ config, db, context }, args) => {
  const email = args.get('email');
  if (typeof email !== 'string') throw new Error('usage: create-admin --email ADDRESS (password on stdin or asked)');
  const hasher = createPasswordHasher({ memoryKiB: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: config.ARGON2_PARALLELISM });
  const existing = args.has('existing');
  const password = existing ? undefined : await readPassword(`Password for ${email}: `);
  const result = await provisionUser(db, hasher, { email, role: ROLES.admin, password }, context);
  process.stdout.write(`${result.created ? 'created' : 'updated'} admin ${result.userId}${result.granted ? '' : ' (already an admin)'}\n`);
});
