import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` turns src/db/schema.ts changes into a new versioned SQL migration (R-DB-5).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
  schemaFilter: ['webhooks'],
});
