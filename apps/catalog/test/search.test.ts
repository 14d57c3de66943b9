import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asProvider, inDays, publishListing, startCatalog, type CatalogHarness } from './support/catalog-app.js';

interface Item {
  id: string;
  title: string;
  deadline: string | null;
  award: { maxMinor: number | null };
  publishedAt: string;
  eligibility: { states: string[]; fieldsOfStudy: string[]; educationLevels: string[] };
  highlights?: { title: string; snippet: string };
}
interface Page {
  items: Item[];
  total: number;
  nextCursor: string | null;
  facets?: Record<string, Array<{ value: string; label: string; count: number }>>;
  correctedQuery?: string | null;
  totalExact?: boolean;
}

describe('public catalog: list and search (R-CAT-1)', () => {
  let h: CatalogHarness;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    // Few rank candidates, so that paging past them is exercised too.
    h = await startCatalog({ SEARCH_RANK_CANDIDATES: '20', SEARCH_MAX_MATCHES: '100' });
    const add = async (key: string, fixture: Parameters<typeof publishListing>[2]) => {
      ids[key] = (await publishListing(h.app, 'org-search', fixture)).id;
    };
    await add('nursingTx', { title: 'Lone Star Nursing Scholarship', deadline: inDays(20), award: { minMinor: 100_000, maxMinor: 300_000 }, eligibility: { fieldsOfStudy: ['51.3801'], states: ['TX'], educationLevels: ['undergraduate'] } });
    await add('nursingCa', { title: 'Golden State Nursing Award', deadline: inDays(40), award: { minMinor: 500_000, maxMinor: 500_000 }, renewable: true, eligibility: { fieldsOfStudy: ['51.3801'], states: ['CA'] } });
    await add('nursingBody', {
      title: 'Community Health Grant',
      summary: 'Supports students in healthcare careers across the country.',
      description: 'Open to nursing, pharmacy and public health students who volunteer in free clinics on weekends.',
      deadline: inDays(10),
      eligibility: { fieldsOfStudy: ['51.2201'] },
    });
    await add('jose', { title: 'José Martínez Memorial Scholarship', deadline: inDays(90), essayRequired: true, eligibility: { fieldsOfStudy: ['14.0101'], states: ['TX'] } });
    await add('html', { title: 'Bold <b>Engineering</b> & Design Award', deadline: inDays(30), eligibility: { fieldsOfStudy: ['14.0101'] } });
    await add('nationwide', { title: 'Open Horizons Scholarship', deadline: inDays(15), award: { minMinor: 50_000, maxMinor: 50_000 } });
    for (let i = 0; i < 25; i++) {
      await add(`bulk${i}`, { title: `Riverside Engineering Scholarship ${i}`, deadline: inDays(5 + i), award: { minMinor: 1_000 * (i + 1), maxMinor: 10_000 * (i + 1) }, eligibility: { states: i % 3 === 0 ? ['TX'] : ['OH'] } });
    }
    const draft = (await h.app.inject({ method: 'POST', url: '/v1/provider/scholarships', headers: asProvider('org-search'), payload: { title: 'Secret Nursing Draft' } })).json();
    ids['draft'] = draft.id;
    const closed = await publishListing(h.app, 'org-search', { title: 'Closed Nursing Fund', deadline: inDays(30) });
    await h.app.inject({ method: 'POST', url: `/v1/provider/scholarships/${closed.id}/close`, headers: asProvider('org-search') });
    ids['closed'] = closed.id;
  });
  afterAll(async () => h?.close());

  const get = async (url: string): Promise<Page> => {
    const response = await h.app.inject({ url });
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    return response.json();
  };

  /** Follows nextCursor to the end; returns every item. */
  const walk = async (url: string): Promise<{ items: Item[]; totals: number[] }> => {
    const items: Item[] = [];
    const totals: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await get(`${url}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...page.items);
      totals.push(page.total);
      cursor = page.nextCursor;
    } while (cursor !== null && items.length < 500);
    return { items, totals };
  };

  it('R-CAT-1: "nursing" and the typo "nursng" both find the nursing scholarships, with facets', async () => {
    const exact = await get('/v1/search?q=nursing');
    const found = exact.items.map((item) => item.id);
    expect(found).toEqual(expect.arrayContaining([ids['nursingTx'], ids['nursingCa'], ids['nursingBody']]));
    expect(found).not.toContain(ids['draft']);
    expect(found).not.toContain(ids['closed']);
    expect(exact.correctedQuery).toBeNull();
    // Title matches rank above a match in the description only.
    expect(found.indexOf(ids['nursingBody']!)).toBe(found.length - 1);
    expect(exact.facets!['fieldsOfStudy']).toContainEqual({ value: '51.3801', label: 'Nursing', count: 2 });
    expect(exact.facets!['states']).toEqual(expect.arrayContaining([{ value: 'TX', label: 'Texas', count: 2 }, { value: 'CA', label: 'California', count: 2 }]));
    expect(exact.facets!['renewable']).toEqual(expect.arrayContaining([{ value: 'true', label: 'Renewable', count: 1 }]));
    expect(exact.items[0]!.highlights!.title).toMatch(/<mark>Nursing<\/mark>/);

    const typo = await get('/v1/search?q=nursng');
    expect(typo.correctedQuery).toBe('nursing');
    expect(typo.items.map((item) => item.id)).toEqual(found);
    expect(typo.facets).toEqual(exact.facets);
    expect(typo.total).toBe(exact.total);
  });

  it('R-CAT-1: search ignores accents and stems words; highlights are escaped HTML', async () => {
    for (const q of ['jose martinez', 'JOSÉ Martínez', 'memorials']) {
      const page = await get(`/v1/search?q=${encodeURIComponent(q)}`);
      expect(page.items.map((item) => item.id), q).toContain(ids['jose']);
    }
    const html = await get('/v1/search?q=engineering%20design');
    const hit = html.items.find((item) => item.id === ids['html'])!;
    expect(hit.title).toBe('Bold <b>Engineering</b> & Design Award');
    expect(hit.highlights!.title).toBe('Bold &lt;b&gt;<mark>Engineering</mark>&lt;/b&gt; &amp; <mark>Design</mark> Award');
    const nothing = await get('/v1/search?q=zzzzqqqq');
    expect(nothing).toMatchObject({ total: 0, items: [], correctedQuery: null, nextCursor: null });
  });

  it('R-CAT-1: filters and cursor pagination agree with total, for every sort', async () => {
    for (const sort of ['deadline', 'amount', 'newest']) {
      const url = `/v1/scholarships?state=TX&limit=3&sort=${sort}`;
      const { items, totals } = await walk(url);
      expect(new Set(totals).size, sort).toBe(1);
      expect(items.length, sort).toBe(totals[0]);
      expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
      // "Open to Texas": restricted to TX, or to no state at all.
      for (const item of items) expect(item.eligibility.states.length === 0 || item.eligibility.states.includes('TX')).toBe(true);
      const keys = items.map((item) => (sort === 'deadline' ? item.deadline! : sort === 'amount' ? -(item.award.maxMinor ?? -1) : -Date.parse(item.publishedAt)));
      expect([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(keys);
    }
    const all = await walk('/v1/scholarships?limit=7');
    expect(all.items.length).toBe(all.totals[0]);
    expect(all.items.map((item) => item.id)).not.toContain(ids['draft']);
    expect(all.items.map((item) => item.id)).not.toContain(ids['closed']);

    const rich = await get('/v1/scholarships?minAmount=150000&renewable=true');
    expect(rich.items.map((item) => item.id)).toEqual([ids['nursingCa']]);
    expect(rich.total).toBe(1);
  });

  it('R-CAT-1: search pagination past the ranked candidates still returns every match once, best first', async () => {
    const { items, totals } = await walk('/v1/search?q=engineering&limit=4');
    expect(totals[0]).toBe(27);
    expect(items.length).toBe(27);
    expect(new Set(items.map((item) => item.id)).size).toBe(27);
    const byAmount = await walk('/v1/search?q=engineering&limit=5&sort=amount');
    expect(byAmount.items.map((item) => item.award.maxMinor ?? -1)).toEqual([...byAmount.items.map((item) => item.award.maxMinor ?? -1)].sort((a, b) => b - a));
  });

  it('R-CAT-1: a facet count is what its filter returns', async () => {
    const page = await get('/v1/search?q=engineering');
    for (const facet of page.facets!['states']!) {
      const filtered = await get(`/v1/search?q=engineering&state=${facet.value}`);
      expect(filtered.total, facet.value).toBe(facet.count);
    }
    expect(page.totalExact).toBe(true);
  });

  it('R-CAT-1: one listing by id or slug; bad input is a 400 problem, never a 500', async () => {
    const byId = await h.app.inject({ url: `/v1/scholarships/${ids['jose']}` });
    expect(byId.statusCode).toBe(200);
    const listing = byId.json();
    expect(listing).toMatchObject({ id: ids['jose'], title: 'José Martínez Memorial Scholarship', description: expect.any(String), provider: { id: 'org-search' } });
    expect((await h.app.inject({ url: `/v1/scholarships/${listing.slug}` })).json().id).toBe(ids['jose']);
    expect((await h.app.inject({ url: `/v1/scholarships/${ids['draft']}` })).statusCode).toBe(404);

    for (const url of ['/v1/search', '/v1/search?q=', '/v1/scholarships?state=XX', '/v1/scholarships?limit=1000', '/v1/scholarships?gpa=abc', '/v1/scholarships?cursor=%%%', '/v1/search?q=a&sort=bogus']) {
      const response = await h.app.inject({ url });
      expect(response.statusCode, url).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const deadlineCursor = (await get('/v1/scholarships?limit=1&sort=deadline')).nextCursor!;
    const wrongSort = await h.app.inject({ url: `/v1/scholarships?limit=1&sort=amount&cursor=${deadlineCursor}` });
    expect(wrongSort.json()).toMatchObject({ status: 400, code: 'CATALOG_INVALID_CURSOR' });
    const forged = Buffer.from(JSON.stringify(['deadline', "2025-01-01'; drop table x", '00000000-0000-0000-0000-000000000000'])).toString('base64url');
    expect((await h.app.inject({ url: `/v1/scholarships?sort=deadline&cursor=${forged}` })).json()).toMatchObject({ code: 'CATALOG_INVALID_CURSOR' });
  });

  it('R-CAT-1: past SEARCH_MAX_MATCHES a search says its total is a lower bound', async () => {
    await h.admin`
      insert into catalog.scholarships (slug, provider_org_id, title, summary, description, status, published_at, deadline)
      select 'bulk-prairie-' || n, 'org-search', 'Prairie Scholarship ' || n, 'For prairie students', 'Prairie description', 'published', now(), current_date + 30
      from generate_series(1, 120) n`;
    const page = await get('/v1/search?q=prairie');
    expect(page).toMatchObject({ total: 100, totalExact: false });
  });
});
