import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatalog, type CatalogHarness } from './support/catalog-app.js';

describe('catalog OpenAPI', () => {
  let h: CatalogHarness;
  beforeAll(async () => {
    h = await startCatalog();
  });
  afterAll(async () => h?.close());

  it('R-ERR-1: every catalog API route is in /openapi.json with its problem+json error responses', async () => {
    const response = await h.app.inject({ url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const spec = response.json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const expected: Array<[string, string, string[]]> = [
      ['/v1/scholarships', 'get', ['200', '400']],
      ['/v1/scholarships/{id}', 'get', ['200', '404']],
      ['/v1/search', 'get', ['200', '400']],
      ['/v1/eligibility', 'post', ['200', '400', '404']],
      ['/v1/profile', 'put', ['200', '400', '401']],
      ['/v1/recommendations', 'get', ['200', '401']],
      ['/v1/shortlist/{id}', 'put', ['200', '201', '404']],
      ['/v1/applications', 'post', ['200', '201', '404', '409']],
      ['/v1/provider/scholarships', 'post', ['201', '400', '403']],
      ['/v1/provider/scholarships/{id}/publish', 'post', ['200', '409', '422']],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = spec.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(Object.keys(operation!.responses), `${method} ${path}`).toEqual(expect.arrayContaining(statuses));
    }
  });
});
