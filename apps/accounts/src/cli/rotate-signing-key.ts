import { createKeyEncryption } from '../modules/tokens/key-encryption.js';
import { rotateSigningKey } from '../modules/tokens/key-rotation.js';
import { VERIFIER_CLOCK_TOLERANCE_S, verifyWindowMs } from '../modules/tokens/key-schedule.js';
import { runCli } from './cli-runtime.js';

// `pnpm --filter @bursary/accounts-service rotate-signing-key` (scheduled; run it e.g. monthly)
// `… rotate-signing-key -- --immediate` (a leaked key: docs/runbooks/signing-key-rotation.md)
await runCli('rotate-signing-key', async ({ config, db }, args) => {
  const result = await rotateSigningKey(db, createKeyEncryption(config.SIGNING_KEY_ENCRYPTION_KEY), {
    publishLeadMs: config.SIGNING_KEY_PUBLISH_LEAD_S * 1000,
    verifyWindowMs: verifyWindowMs(config.ACCESS_TOKEN_TTL_S, VERIFIER_CLOCK_TOLERANCE_S),
    immediate: args.has('immediate'),
  });
  process.stdout.write(`new signing key ${result.kid}: published now, signs from ${result.activatesAt.toISOString()}\n`);
  if (result.retired.length > 0) process.stdout.write(`retired (public half kept until their tokens expire): ${result.retired.join(', ')}\n`);
  if (result.deleted.length > 0) process.stdout.write(`removed from the JWKS: ${result.deleted.join(', ')}\n`);
});
