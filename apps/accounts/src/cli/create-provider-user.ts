import { ROLES } from '@bursary/auth';
import { createPasswordHasher } from '../modules/passwords/password-hasher.js';
import { provisionUser } from '../modules/users/provisioning.js';
import { readPassword, runCli } from './cli-runtime.js';

// `pnpm --filter @bursary/accounts-service create-provider-user -- --email a@uni.example --organization "Example Foundation"`
// (or --organization-id UUID to add a user to an existing organization).
// Provider users log into the provider portal (POST /v1/auth/provider/login).
await runCli('create-provider-user', async ({ config, db, context }, args) => {
  const email = args.get('email');
  const name = args.get('organization');
  const id = args.get('organization-id');
  if (typeof email !== 'string' || (typeof name !== 'string' && typeof id !== 'string')) {
    throw new Error('usage: create-provider-user --email ADDRESS (--organization NAME | --organization-id UUID) [--existing]');
  }
  const hasher = createPasswordHasher({ memoryKiB: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: config.ARGON2_PARALLELISM });
  const password = args.has('existing') ? undefined : await readPassword(`Password for ${email}: `);
  const organization = typeof id === 'string' ? { id } : { name: name as string };
  const result = await provisionUser(db, hasher, { email, role: ROLES.provider, password, organization }, context);
  process.stdout.write(`${result.created ? 'created' : 'updated'} provider user ${result.userId} in organization ${result.organizationId}\n`);
});
