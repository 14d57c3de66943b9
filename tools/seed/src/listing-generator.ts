import { CITIZENSHIP_STATUSES, DEMOGRAPHIC_TAGS, EDUCATION_LEVELS, FIELDS_OF_STUDY, listingKeywords, slugBase, US_STATES } from '@bursary/catalog-taxonomy';
import type { Random } from './random.js';
import { CITIES, COMPANIES, ESSAY_PROMPTS, FIELD_PEOPLE, FIRST_NAMES, LAST_NAMES, OPENINGS, ORG_PATTERNS, RENEWAL, SELECTION, TITLE_PATTERNS } from './word-banks.js';

/** Every seeded organization id starts with this, so a reseed removes exactly the seeded data. */
export const SEED_ORG_PREFIX = 'seed-';

export interface SeedOrg {
  id: string;
  name: string;
  website: string;
}

/** One row of catalog.scholarships, as COPY receives it. */
export interface SeedListing {
  slug: string;
  providerOrgId: string;
  title: string;
  summary: string;
  description: string;
  keywords: string;
  awardMinMinor: number | null;
  awardMaxMinor: number | null;
  currency: string;
  awardsCount: number | null;
  deadline: string | null;
  renewable: boolean;
  essayRequired: boolean;
  applicationUrl: string;
  status: 'draft' | 'published' | 'closed';
  minGpa: string | null;
  educationLevels: string[];
  fieldsOfStudy: string[];
  states: string[];
  citizenship: string[];
  demographicTags: string[];
  needBased: boolean;
  meritBased: boolean;
  verifiedAt: string | null;
  publishedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const FIELD_CODES = Object.keys(FIELDS_OF_STUDY);
/** Providers fund some fields far more often than others. */
const FIELD_WEIGHTS = FIELD_CODES.map((code) => [code, FIELD_PEOPLE[code] ? 4 : 1] as const);
const LEVELS = Object.keys(EDUCATION_LEVELS);
const TAGS = Object.keys(DEMOGRAPHIC_TAGS);
/** Roughly by population: big states have more state-restricted awards. */
const STATE_WEIGHTS = Object.keys(US_STATES).map((code) => [code, ['CA', 'TX', 'FL', 'NY'].includes(code) ? 8 : ['PA', 'IL', 'OH', 'GA', 'NC', 'MI'].includes(code) ? 4 : 1] as const);
const DAY = 86_400_000;

const fieldName = (code: string) => FIELDS_OF_STUDY[code as keyof typeof FIELDS_OF_STUDY];

export function generateOrgs(count: number, random: Random): SeedOrg[] {
  return Array.from({ length: count }, (_, index) => {
    const name = random.pick(ORG_PATTERNS)(random.pick(LAST_NAMES), random.pick(CITIES), random.pick(COMPANIES));
    return { id: `${SEED_ORG_PREFIX}org-${String(index + 1).padStart(4, '0')}`, name, website: `https://${slugBase(name)}.example.org` };
  });
}

function title(random: Random, fields: string[], states: string[], tags: string[], org: SeedOrg): string {
  const field = fields[0] ? fieldName(fields[0]) : random.pick(['Academic', 'Education', 'Achievement', 'Opportunity']);
  const person = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  const people = fields[0] ? (FIELD_PEOPLE[fields[0]] ?? `${field} Students`) : 'Students';
  const state = states[0] ? US_STATES[states[0] as keyof typeof US_STATES] : random.pick(CITIES);
  switch (random.pick(TITLE_PATTERNS)) {
    case 'memorial':
      return `${person} Memorial Scholarship${fields[0] ? ` for ${people}` : ''}`;
    case 'org-field':
      return `${org.name} ${field} Scholarship`;
    case 'state-field':
      return `${state} ${field} Excellence Award`;
    case 'women':
      return tags.includes('women') ? `Women in ${field} Scholarship` : `${person} ${field} Award`;
    case 'first-gen':
      return tags.includes('first_generation') ? `First-Generation ${field} Scholars Grant` : `${state} ${field} Scholars Grant`;
    case 'future':
      return `Future ${people} Award`;
    case 'leadership':
      return `${person} ${field} Leadership Fellowship`;
    case 'community':
      return `${random.pick(CITIES)} Community ${field} Scholarship`;
    case 'veterans':
      return tags.includes('veteran') ? `Veterans ${field} Education Grant` : `${org.name} ${field} Grant`;
    case 'excellence':
      return `${field} Excellence Scholarship`;
  }
}

function amounts(random: Random): { min: number | null; max: number | null; count: number | null } {
  if (random.chance(0.04)) return { min: null, max: null, count: null };
  // Mostly $500 – $5,000, a long tail up to $50,000; round to $50.
  const dollars = Math.min(50_000, Math.round((500 * Math.exp(random.next() * random.next() * 4.6)) / 50) * 50);
  const max = dollars * 100;
  const min = random.chance(0.6) ? max : Math.round((max * random.pick([0.25, 0.4, 0.5])) / 5000) * 5000;
  return { min, max, count: random.chance(0.15) ? null : random.weighted([[1, 5], [2, 3], [5, 3], [10, 2], [25, 1], [50, 1]]) };
}

const iso = (time: number) => new Date(time).toISOString();

/** One realistic, varied listing; `now` fixes "today" so a whole run is consistent. */
export function generateListing(index: number, org: SeedOrg, random: Random, now: number): SeedListing {
  const fields = random.chance(0.7) ? [...new Set([random.weighted(FIELD_WEIGHTS), ...(random.chance(0.25) ? [random.weighted(FIELD_WEIGHTS)] : [])])] : [];
  const states = random.chance(0.35) ? [random.weighted(STATE_WEIGHTS)] : random.chance(0.08) ? [...new Set([random.weighted(STATE_WEIGHTS), random.weighted(STATE_WEIGHTS)])] : [];
  const tags = random.chance(0.25) ? random.sample(TAGS, random.weighted([[1, 4], [2, 1]])) : [];
  const levels = random.chance(0.6) ? random.sample(LEVELS, random.weighted([[1, 3], [2, 2], [3, 1]])) : [];
  const citizenship = random.weighted([
    [[] as string[], 45],
    [['us_citizen', 'permanent_resident'], 40],
    [['us_citizen', 'permanent_resident', 'daca'], 10],
    [['international'], 5],
  ]);
  const needBased = random.chance(0.35);
  const meritBased = random.chance(0.4);
  const minGpa = random.chance(0.5) ? (2 + random.int(0, 7) * 0.25).toFixed(2) : null;
  const renewable = random.chance(0.25);
  const essayRequired = random.chance(0.55);
  const award = amounts(random);
  const status = random.weighted([['published', 97], ['closed', 2], ['draft', 1]] as const);

  const theTitle = title(random, fields, states, tags, org);
  const topic = fields.length > 0 ? fields.map((code) => fieldName(code).toLowerCase()).join(' and ') : 'higher education';
  const person = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  const levelText = levels.length > 0 ? levels.map((level) => EDUCATION_LEVELS[level as keyof typeof EDUCATION_LEVELS].toLowerCase()).join(' or ') : 'college';
  const where = states.length > 0 ? `residents of ${states.map((s) => US_STATES[s as keyof typeof US_STATES]).join(' and ')}` : 'students nationwide';
  const groups = tags.length > 0 ? ` It is reserved for ${tags.map((t) => DEMOGRAPHIC_TAGS[t as keyof typeof DEMOGRAPHIC_TAGS].toLowerCase()).join(' and ')}.` : '';
  const summary = `Supports ${levelText} students pursuing ${topic}; open to ${where}.${groups}${needBased ? ' Financial need is considered.' : ''}`;
  const fill = (text: string) => text.replaceAll('{person}', person).replaceAll('{topic}', topic).replaceAll('{org}', org.name);
  const description = [
    fill(random.pick(OPENINGS)),
    `The scholarship is open to ${levelText} students of ${topic} who are ${where}.`,
    ...random.sample(SELECTION, 2),
    ...(essayRequired ? [random.pick(ESSAY_PROMPTS)] : []),
    ...(renewable ? [random.pick(RENEWAL)] : []),
    ...(citizenship.length > 0 ? [`Applicants must be ${citizenship.map((c) => CITIZENSHIP_STATUSES[c as keyof typeof CITIZENSHIP_STATUSES].toLowerCase()).join(' or ')}s.`] : []),
    ...(minGpa ? [`A minimum GPA of ${minGpa} is required.`] : []),
  ].join(' ');

  const publishedAt = now - random.int(1, 365) * DAY - random.int(0, DAY - 1);
  const createdAt = publishedAt - random.int(0, 14) * DAY;
  const updatedAt = Math.min(now, publishedAt + (random.chance(0.3) ? random.int(0, 60) * DAY : 0));
  const slug = `${slugBase(theTitle)}-${(index + 1).toString(36)}`;
  return {
    slug,
    providerOrgId: org.id,
    title: theTitle,
    summary,
    description,
    keywords: listingKeywords({ providerName: org.name, educationLevels: levels, fieldsOfStudy: fields, states, demographicTags: tags }),
    awardMinMinor: award.min,
    awardMaxMinor: award.max,
    currency: 'USD',
    awardsCount: award.count,
    deadline: random.chance(0.05) ? null : iso(now + random.int(7, 365) * DAY).slice(0, 10),
    renewable,
    essayRequired,
    applicationUrl: `${org.website}/scholarships/${slug}`,
    status,
    minGpa,
    educationLevels: levels,
    fieldsOfStudy: fields,
    states,
    citizenship,
    demographicTags: tags,
    needBased,
    meritBased,
    verifiedAt: status === 'draft' ? null : iso(updatedAt),
    publishedAt: status === 'draft' ? null : iso(publishedAt),
    closedAt: status === 'closed' ? iso(updatedAt) : null,
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
  };
}
