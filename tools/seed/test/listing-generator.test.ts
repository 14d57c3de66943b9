import { EDUCATION_LEVELS, FIELDS_OF_STUDY, US_STATES } from '@bursary/catalog-taxonomy';
import { describe, expect, it } from 'vitest';
import { csvLine, LISTING_COLUMNS } from '../src/copy-rows.js';
import { generateListing, generateOrgs, SEED_ORG_PREFIX } from '../src/listing-generator.js';
import { Random } from '../src/random.js';

const NOW = Date.UTC(2030, 0, 15);

describe('seed data', () => {
  it('R-CAT-5: seeded listings are realistic, varied, valid and repeatable', () => {
    const orgs = generateOrgs(20, new Random(1));
    expect(orgs.every((org) => org.id.startsWith(SEED_ORG_PREFIX))).toBe(true);
    const random = new Random(42);
    const listings = Array.from({ length: 2_000 }, (_, i) => generateListing(i, orgs[i % orgs.length]!, random, NOW));

    expect(new Set(listings.map((l) => l.slug)).size).toBe(listings.length);
    expect(new Set(listings.map((l) => l.title)).size).toBeGreaterThan(1_000);
    for (const l of listings) {
      expect(l.fieldsOfStudy.every((code) => code in FIELDS_OF_STUDY)).toBe(true);
      expect(l.states.every((code) => code in US_STATES)).toBe(true);
      expect(l.educationLevels.every((code) => code in EDUCATION_LEVELS)).toBe(true);
      if (l.awardMinMinor !== null && l.awardMaxMinor !== null) expect(l.awardMinMinor).toBeLessThanOrEqual(l.awardMaxMinor);
      if (l.deadline !== null) expect(l.deadline > '2030-01-15').toBe(true);
      expect(l.description.length).toBeGreaterThan(150);
    }
    const share = (predicate: (l: (typeof listings)[number]) => boolean) => listings.filter(predicate).length / listings.length;
    expect(share((l) => l.fieldsOfStudy.includes('51.3801'))).toBeGreaterThan(0.01);
    expect(share((l) => l.states.length === 0)).toBeGreaterThan(0.4);
    expect(share((l) => l.status === 'published')).toBeGreaterThan(0.9);
    expect(share((l) => /[áéíóúñëöü]/i.test(l.title + l.description))).toBeGreaterThan(0.05);

    const again = new Random(42);
    expect(generateListing(0, orgs[0]!, again, NOW)).toEqual(listings[0]);
  });

  it('R-CAT-5: COPY lines quote text, leave NULL empty and write arrays as Postgres literals', () => {
    const listing = generateListing(0, generateOrgs(1, new Random(3))[0]!, new Random(3), NOW);
    const line = csvLine({ ...listing, title: 'A "quoted", title', minGpa: null, states: ['TX', 'CA'], summary: '' });
    expect(line.endsWith('\n')).toBe(true);
    expect(line).toContain('"A ""quoted"", title"');
    expect(line).toContain('"{TX,CA}"');
    expect(line).toContain(',"",');
    expect(line.split(',').length).toBeGreaterThanOrEqual(LISTING_COLUMNS.length);
  });
});
