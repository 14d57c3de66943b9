import { outboxTable } from '@bursary/events';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  numeric,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Everything catalog stores lives in its own schema, reachable only by its own role. */
export const catalogSchema = pgSchema('catalog');

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The text search configuration `catalog.bursary_en` (migration 0002): English
 * stemming behind `unaccent`, so `jose` finds "José" and `nurses` finds
 * "nursing". Title weighs most, then summary, description, keywords.
 */
const SEARCH_DOCUMENT = sql`
  setweight(to_tsvector('catalog.bursary_en'::regconfig, title), 'A') ||
  setweight(to_tsvector('catalog.bursary_en'::regconfig, summary), 'B') ||
  setweight(to_tsvector('catalog.bursary_en'::regconfig, description), 'C') ||
  setweight(to_tsvector('catalog.bursary_en'::regconfig, keywords), 'D')`;

/**
 * Title and summary only: small enough to rank every match cheaply, so the
 * full-document ts_rank runs only for the best candidates (R-CAT-5,
 * docs/catalog-search.md).
 */
const HEADLINE_DOCUMENT = sql`
  setweight(to_tsvector('catalog.bursary_en'::regconfig, title), 'A') ||
  setweight(to_tsvector('catalog.bursary_en'::regconfig, summary), 'B')`;

/** A scholarship provider (the tenant of the provider portal); its id is the `org` claim of provider tokens. */
export const providerOrgs = catalogSchema.table('provider_orgs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  website: text('website'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A scholarship listing, after the NSPA scholarship data standard. Money in
 * integer minor units with a currency (DESIGN.md §3.8). Eligibility criteria
 * are data: an empty list means "no restriction", a null GPA "no minimum".
 */
export const scholarships = catalogSchema.table(
  'scholarships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    providerOrgId: text('provider_org_id')
      .notNull()
      .references(() => providerOrgs.id),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    description: text('description').notNull().default(''),
    /** Provider name, field, level, state and group labels: searchable at the lowest weight. */
    keywords: text('keywords').notNull().default(''),
    awardMinMinor: integer('award_min_minor'),
    awardMaxMinor: integer('award_max_minor'),
    currency: text('currency').notNull().default('USD'),
    awardsCount: integer('awards_count'),
    deadline: date('deadline'),
    renewable: boolean('renewable').notNull().default(false),
    essayRequired: boolean('essay_required').notNull().default(false),
    applicationUrl: text('application_url'),
    status: text('status', { enum: ['draft', 'published', 'closed'] }).notNull().default('draft'),
    minGpa: numeric('min_gpa', { precision: 3, scale: 2 }),
    educationLevels: text('education_levels').array().notNull().default(sql`'{}'::text[]`),
    fieldsOfStudy: text('fields_of_study').array().notNull().default(sql`'{}'::text[]`),
    states: text('states').array().notNull().default(sql`'{}'::text[]`),
    citizenship: text('citizenship').array().notNull().default(sql`'{}'::text[]`),
    demographicTags: text('demographic_tags').array().notNull().default(sql`'{}'::text[]`),
    needBased: boolean('need_based').notNull().default(false),
    meritBased: boolean('merit_based').notNull().default(false),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs(SEARCH_DOCUMENT),
    headlineVector: tsvector('headline_vector')
      .notNull()
      .generatedAlwaysAs(HEADLINE_DOCUMENT),
    /** The facet values this listing counts towards (migration 0008): facets are one unnest + group by. */
    facetKeys: text('facet_keys')
      .array()
      .notNull()
      .generatedAlwaysAs(sql`catalog.facet_keys(education_levels, fields_of_study, states, award_max_minor, renewable, essay_required)`),
  },
  (table) => [
    check('scholarships_status_check', sql`${table.status} in ('draft', 'published', 'closed')`),
    check('scholarships_award_range_check', sql`${table.awardMinMinor} is null or ${table.awardMaxMinor} is null or ${table.awardMinMinor} <= ${table.awardMaxMinor}`),
    check('scholarships_award_positive_check', sql`coalesce(${table.awardMinMinor}, 0) >= 0 and coalesce(${table.awardMaxMinor}, 0) >= 0`),
    check('scholarships_currency_check', sql`${table.currency} ~ '^[A-Z]{3}$'`),
    check('scholarships_min_gpa_check', sql`${table.minGpa} is null or (${table.minGpa} >= 0 and ${table.minGpa} <= 5)`),
    // Public reads only ever look at published rows: partial indexes stay small and exact.
    index('scholarships_search_idx').using('gin', table.searchVector).where(sql`status = 'published'`),
    // The sort keys of the list, exactly as the queries write them (modules/discovery/sort-keys.ts):
    // a page is an index range scan, descending sorts read the index backwards.
    index('scholarships_published_deadline_key_idx').on(sql`coalesce(${table.deadline}, 'infinity'::date)`, table.id).where(sql`status = 'published'`),
    index('scholarships_published_amount_key_idx').on(sql`coalesce(${table.awardMaxMinor}, -1)`, table.id).where(sql`status = 'published'`),
    index('scholarships_published_newest_idx').on(table.publishedAt, table.id).where(sql`status = 'published'`),
    index('scholarships_published_fields_idx').using('gin', table.fieldsOfStudy).where(sql`status = 'published'`),
    index('scholarships_published_tags_idx').using('gin', table.demographicTags).where(sql`status = 'published'`),
    index('scholarships_provider_idx').on(table.providerOrgId, table.createdAt.desc()),
  ],
);

/**
 * Every word of every listing, unaccented and lower-case, for typo tolerance:
 * a query word missing here is replaced by its nearest trigram neighbour.
 * Filled by statement triggers on scholarships (migration 0004).
 */
export const searchWords = catalogSchema.table(
  'search_words',
  {
    word: text('word').primaryKey(),
  },
  (table) => [index('search_words_trgm_idx').using('gin', sql`${table.word} catalog.gin_trgm_ops`)],
);

/**
 * One row whose counter moves, in the writing transaction, whenever listings
 * change (statement trigger, migration 0007): catalog instances poll it to
 * drop cached search results, so a published listing is searchable within
 * a second on every instance.
 */
export const listingGeneration = catalogSchema.table(
  'listing_generation',
  {
    id: integer('id').primaryKey().default(1),
    value: bigint('value', { mode: 'number' }).notNull().default(0),
  },
  (table) => [check('listing_generation_single_row_check', sql`${table.id} = 1`)],
);

/** What a student tells us about themselves; a null dimension is "not answered" (eligibility: unknown). */
export const studentProfiles = catalogSchema.table('student_profiles', {
  userId: text('user_id').primaryKey(),
  gpa: numeric('gpa', { precision: 3, scale: 2 }),
  educationLevel: text('education_level'),
  fieldsOfStudy: text('fields_of_study').array(),
  state: text('state'),
  citizenship: text('citizenship'),
  demographicTags: text('demographic_tags').array(),
  financialNeed: boolean('financial_need'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const shortlistItems = catalogSchema.table(
  'shortlist_items',
  {
    userId: text('user_id').notNull(),
    scholarshipId: uuid('scholarship_id')
      .notNull()
      .references(() => scholarships.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.scholarshipId] }), index('shortlist_items_user_idx').on(table.userId, table.createdAt.desc())],
);

/** One application per student and scholarship (R-CAT-2): the unique index makes "start" idempotent. */
export const applications = catalogSchema.table(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id').notNull(),
    scholarshipId: uuid('scholarship_id')
      .notNull()
      .references(() => scholarships.id),
    status: text('status', { enum: ['started', 'submitted', 'withdrawn'] }).notNull().default('started'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('applications_user_scholarship_idx').on(table.userId, table.scholarshipId),
    index('applications_user_idx').on(table.userId, table.startedAt.desc()),
    check('applications_status_check', sql`${table.status} in ('started', 'submitted', 'withdrawn')`),
  ],
);

/**
 * Funnel analytics (R-OPS-6): search → view → shortlist → application start.
 * Test traffic is kept, tagged `test`, and left out of the `funnel_analytics`
 * view (migration 0004) that analytics reads.
 */
export const funnelEvents = catalogSchema.table(
  'funnel_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    userId: text('user_id'),
    scholarshipId: uuid('scholarship_id'),
    query: text('query'),
    resultCount: integer('result_count'),
    source: text('source').notNull(),
    test: boolean('test').notNull(),
  },
  (table) => [index('funnel_events_occurred_idx').on(table.occurredAt)],
);

/** Domain events written in the same transaction as the change they describe (R-EVT-1). */
export const outbox = outboxTable(catalogSchema);
