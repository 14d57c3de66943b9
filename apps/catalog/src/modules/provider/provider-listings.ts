import { listingKeywords, newSlug } from '@bursary/catalog-taxonomy';
import { createEvent, enqueue, ScholarshipClosed, ScholarshipCreated, ScholarshipPublished, ScholarshipUpdated, type OutboxTable } from '@bursary/events';
import { and, eq, sql as drizzleSql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import { providerOrgs, scholarships } from '../../db/schema.js';
import { CatalogErrors } from '../catalog-errors.js';
import { listingJson } from '../listings/listing-sql.js';
import type { ListingDetail } from '../listings/listing-schema.js';
import type { ListingInput } from './listing-input.js';
import { assertPublishable, assertValidListing } from './listing-rules.js';

type Row = typeof scholarships.$inferSelect;
type Columns = Partial<typeof scholarships.$inferInsert>;
type Transaction = Parameters<Parameters<PostgresJsDatabase<Record<string, unknown>>['transaction']>[0]>[0];
type ListingEvent = typeof ScholarshipCreated | typeof ScholarshipUpdated | typeof ScholarshipPublished | typeof ScholarshipClosed;

/** The columns an input sets; absent fields keep their stored value. */
function columnsFrom(input: ListingInput): Columns {
  const columns: Columns = {};
  if (input.title !== undefined) columns.title = input.title;
  if (input.summary !== undefined) columns.summary = input.summary;
  if (input.description !== undefined) columns.description = input.description;
  if (input.award?.minMinor !== undefined) columns.awardMinMinor = input.award.minMinor;
  if (input.award?.maxMinor !== undefined) columns.awardMaxMinor = input.award.maxMinor;
  if (input.award?.currency !== undefined) columns.currency = input.award.currency;
  if (input.awardsCount !== undefined) columns.awardsCount = input.awardsCount;
  if (input.deadline !== undefined) columns.deadline = input.deadline;
  if (input.renewable !== undefined) columns.renewable = input.renewable;
  if (input.essayRequired !== undefined) columns.essayRequired = input.essayRequired;
  if (input.applicationUrl !== undefined) columns.applicationUrl = input.applicationUrl;
  const criteria = input.eligibility;
  if (criteria?.minGpa !== undefined) columns.minGpa = criteria.minGpa === null ? null : criteria.minGpa.toFixed(2);
  if (criteria?.educationLevels !== undefined) columns.educationLevels = criteria.educationLevels;
  if (criteria?.fieldsOfStudy !== undefined) columns.fieldsOfStudy = criteria.fieldsOfStudy;
  if (criteria?.states !== undefined) columns.states = criteria.states;
  if (criteria?.citizenship !== undefined) columns.citizenship = criteria.citizenship;
  if (criteria?.demographicTags !== undefined) columns.demographicTags = criteria.demographicTags;
  if (criteria?.needBased !== undefined) columns.needBased = criteria.needBased;
  if (criteria?.meritBased !== undefined) columns.meritBased = criteria.meritBased;
  return columns;
}

const EMPTY: Pick<Row, 'summary' | 'description' | 'awardMinMinor' | 'awardMaxMinor' | 'deadline' | 'applicationUrl' | 'educationLevels' | 'fieldsOfStudy' | 'states' | 'demographicTags'> = {
  summary: '',
  description: '',
  awardMinMinor: null,
  awardMaxMinor: null,
  deadline: null,
  applicationUrl: null,
  educationLevels: [],
  fieldsOfStudy: [],
  states: [],
  demographicTags: [],
};

/**
 * The provider portal's use cases (R-CAT-3): a provider creates drafts,
 * edits, publishes and closes its own organization's listings, never
 * another's (another organization's listing is simply not found). Each
 * change writes its `catalog.scholarship.*.v1` event to the outbox in the
 * same transaction (R-EVT-1).
 */
export class ProviderListings {
  constructor(
    private readonly sql: Sql,
    private readonly db: PostgresJsDatabase<Record<string, unknown>>,
    private readonly outbox: OutboxTable,
    private readonly siteUrl: string,
    private readonly today: () => string,
    /** Called after each committed change, so this instance's cached search results go at once. */
    private readonly onChange: () => void,
  ) {}

  async create(orgId: string, input: ListingInput & { title: string }): Promise<ListingDetail> {
    const columns = columnsFrom(input);
    const state = { ...EMPTY, ...columns };
    assertValidListing(state, this.today(), true);
    const id = await this.db.transaction(async (tx) => {
      const providerName = await this.upsertOrg(tx, orgId, input.providerName);
      const [created] = await tx
        .insert(scholarships)
        .values({ ...columns, title: input.title, slug: newSlug(input.title), providerOrgId: orgId, status: 'draft', keywords: listingKeywords({ ...state, providerName }) })
        .returning({ id: scholarships.id, slug: scholarships.slug });
      await this.emit(tx, ScholarshipCreated, orgId, created!);
      return created!.id;
    });
    this.onChange();
    return (await this.get(orgId, id))!;
  }

  async update(orgId: string, id: string, input: ListingInput): Promise<ListingDetail> {
    await this.db.transaction(async (tx) => {
      const row = await this.lockOwn(tx, orgId, id);
      if (row.status === 'closed') throw CatalogErrors.CATALOG_LISTING_CLOSED();
      const columns = columnsFrom(input);
      const merged = { ...row, ...columns };
      assertValidListing(merged, this.today(), columns.deadline !== undefined);
      const providerName = await this.upsertOrg(tx, orgId, input.providerName);
      await tx
        .update(scholarships)
        .set({
          ...columns,
          keywords: listingKeywords({ ...merged, providerName }),
          updatedAt: drizzleSql`now()`,
          // An edit of a live listing is the provider vouching for it again (NSPA "verified").
          ...(row.status === 'published' ? { verifiedAt: drizzleSql`now()` } : {}),
        })
        .where(eq(scholarships.id, id));
      await this.emit(tx, ScholarshipUpdated, orgId, row);
    });
    this.onChange();
    return (await this.get(orgId, id))!;
  }

  /** Idempotent: publishing a published listing changes nothing and emits nothing. */
  async publish(orgId: string, id: string): Promise<ListingDetail> {
    await this.db.transaction(async (tx) => {
      const row = await this.lockOwn(tx, orgId, id);
      if (row.status === 'closed') throw CatalogErrors.CATALOG_LISTING_CLOSED();
      if (row.status === 'published') return;
      assertPublishable(row, this.today());
      await tx
        .update(scholarships)
        .set({ status: 'published', publishedAt: drizzleSql`now()`, verifiedAt: drizzleSql`now()`, updatedAt: drizzleSql`now()` })
        .where(eq(scholarships.id, id));
      await this.emit(tx, ScholarshipPublished, orgId, row);
    });
    this.onChange();
    return (await this.get(orgId, id))!;
  }

  /** Idempotent like publish. A closed listing keeps its page but leaves search and takes no applications. */
  async close(orgId: string, id: string): Promise<ListingDetail> {
    await this.db.transaction(async (tx) => {
      const row = await this.lockOwn(tx, orgId, id);
      if (row.status === 'closed') return;
      await tx.update(scholarships).set({ status: 'closed', closedAt: drizzleSql`now()`, updatedAt: drizzleSql`now()` }).where(eq(scholarships.id, id));
      await this.emit(tx, ScholarshipClosed, orgId, row);
    });
    this.onChange();
    return (await this.get(orgId, id))!;
  }

  async get(orgId: string, id: string): Promise<ListingDetail | undefined> {
    const { sql } = this;
    const [row] = await sql<Array<{ item: ListingDetail }>>`
      select ${listingJson(sql, this.siteUrl, true)} as item
      from catalog.scholarships s join catalog.provider_orgs o on o.id = s.provider_org_id
      where s.id = ${id}::uuid and s.provider_org_id = ${orgId}`;
    return row?.item;
  }

  /** The organization's listings, newest first (at most 100 per page; `before` is the last id of the previous page). */
  async list(orgId: string, status: string | undefined, limit: number, before: string | undefined): Promise<ListingDetail[]> {
    const { sql } = this;
    const rows = await sql<Array<{ item: ListingDetail }>>`
      select ${listingJson(sql, this.siteUrl, true)} as item
      from catalog.scholarships s join catalog.provider_orgs o on o.id = s.provider_org_id
      where s.provider_org_id = ${orgId}
        ${status ? sql`and s.status = ${status}` : sql``}
        ${before ? sql`and (s.created_at, s.id) < (select created_at, id from catalog.scholarships where id = ${before}::uuid and provider_org_id = ${orgId})` : sql``}
      order by s.created_at desc, s.id desc
      limit ${limit}`;
    return rows.map((row) => row.item);
  }

  private async lockOwn(tx: Transaction, orgId: string, id: string): Promise<Row> {
    const [row] = await tx
      .select()
      .from(scholarships)
      .where(and(eq(scholarships.id, id), eq(scholarships.providerOrgId, orgId)))
      .for('update');
    if (!row) throw CatalogErrors.CATALOG_SCHOLARSHIP_NOT_FOUND();
    return row;
  }

  /** Creates the organization on its first listing; `name` (when given) renames it. Returns the current name. */
  private async upsertOrg(tx: Transaction, orgId: string, name: string | undefined): Promise<string> {
    const [org] = await tx
      .insert(providerOrgs)
      .values({ id: orgId, name: name ?? orgId })
      .onConflictDoUpdate({ target: providerOrgs.id, set: name === undefined ? { id: orgId } : { name, updatedAt: drizzleSql`now()` } })
      .returning({ name: providerOrgs.name });
    return org!.name;
  }

  private async emit(tx: Transaction, contract: ListingEvent, orgId: string, listing: { id: string; slug: string }): Promise<void> {
    await enqueue(tx, this.outbox, createEvent(contract, { subject: listing.id, data: { scholarshipId: listing.id, providerOrgId: orgId, slug: listing.slug } }));
  }
}
