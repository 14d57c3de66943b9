import { describe, expect, it } from 'vitest';
import { FIELDS_OF_STUDY, listingKeywords, newSlug, slugBase, US_STATES } from '../src/index.js';

describe('catalog taxonomy', () => {
  it('R-CAT-4: slugs are readable ASCII with a random suffix, so pages get stable, distinct URLs', () => {
    expect(slugBase("Zoë Martínez's Award: Nursing & Health!")).toBe('zoe-martinezs-award-nursing-health');
    expect(slugBase('???')).toBe('scholarship');
    expect(slugBase('a'.repeat(200))).toHaveLength(80);
    const slug = newSlug('Gulf Coast Nursing Scholarship');
    expect(slug).toMatch(/^gulf-coast-nursing-scholarship-[a-z0-9]{7}$/);
    expect(newSlug('Same Title')).not.toBe(newSlug('Same Title'));
  });

  it('R-CAT-1: keywords carry the provider and the names behind criteria codes, for search', () => {
    expect(listingKeywords({ providerName: 'Evergreen Trust', educationLevels: ['graduate'], fieldsOfStudy: ['51.3801'], states: ['TX'], demographicTags: ['first_generation'] })).toBe(
      "Evergreen Trust Nursing Graduate (master's) Texas First-generation college student",
    );
    expect(listingKeywords({ providerName: 'X', educationLevels: ['unknown'], fieldsOfStudy: [], states: [], demographicTags: [] })).toBe('X');
    expect(FIELDS_OF_STUDY['51.3801']).toBe('Nursing');
    expect(Object.keys(US_STATES)).toHaveLength(52);
  });
});
