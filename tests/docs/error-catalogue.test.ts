import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorCatalogueMarkdown, listDeclaredErrors } from '@bursary/errors';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/service-process.js';

const DOC = join(repoRoot, 'docs/errors.md');

/** Source files under apps/* and packages/* that declare an error catalogue. */
function catalogueModules(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && readFileSync(path, 'utf8').includes('defineErrors(')) found.push(path);
    }
  };
  for (const group of ['apps', 'packages']) {
    for (const name of readdirSync(join(repoRoot, group))) {
      const src = join(repoRoot, group, name, 'src');
      try {
        walk(src);
      } catch {
        // no src/ in this package
      }
    }
  }
  return found.sort();
}

// docs/errors.md is generated from the catalogues (DESIGN.md §3.7):
// `npm run docs:errors` rewrites it, and this test fails while it is stale.
describe('error code catalogue (docs/errors.md)', () => {
  it('R-ERR-1: docs/errors.md lists every declared error code with its status, title and meaning, and is current', async () => {
    const modules = catalogueModules();
    expect(modules.length).toBeGreaterThanOrEqual(10);
    for (const module of modules) await import(pathToFileURL(module).href);
    const errors = listDeclaredErrors();
    // Every service's and edge package's own codes are in, besides the common ones.
    for (const area of ['common', 'edge', 'gateway', 'waf', 'rate-limit', 'auth', 'accounts', 'catalog', 'purchases', 'idempotency', 'refunds']) {
      expect(errors.some((error) => error.area === area), `area ${area}`).toBe(true);
    }
    for (const code of ['HOST_NOT_ALLOWED', 'WAF_BLOCKED', 'RATE_LIMIT_UNAVAILABLE', 'IDEMPOTENCY_KEY_REUSED', 'PURCHASES_DISABLED', 'VALIDATION_FAILED']) {
      expect(errors.map((error) => error.code)).toContain(code);
    }
    expect(new Set(errors.map((error) => error.code)).size).toBe(errors.length);
    for (const error of errors) {
      expect(error.status, error.code).toBeGreaterThanOrEqual(400);
      expect(error.status, error.code).toBeLessThan(600);
      expect(error.description.length, `${error.code} needs a description for API clients`).toBeGreaterThan(10);
    }

    const expected = errorCatalogueMarkdown(errors);
    if (process.env['UPDATE_DOCS'] === '1') writeFileSync(DOC, expected);
    let current = '';
    try {
      current = readFileSync(DOC, 'utf8');
    } catch {
      // missing: reported below
    }
    expect(current === expected, 'docs/errors.md is stale or missing: run `npm run docs:errors` and commit it').toBe(true);
  });
});
