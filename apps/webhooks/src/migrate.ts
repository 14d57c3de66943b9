import { fileURLToPath } from 'node:url';
import { runMigrateCommand } from '@bursary/db';

// `npm run migrate` (R-DB-5): versioned migrations, never by hand.
await runMigrateCommand({
  schema: 'webhooks',
  migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
  env: process.env,
}).catch((error: unknown) => {
  console.error(`migrate webhooks failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
