import { ApplicationStarted, createEvent, enqueue, type OutboxTable } from '@bursary/events';
import { sql as drizzleSql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { PendingQuery, Row, Sql } from 'postgres';
import { listingJson } from '../listings/listing-sql.js';
import type { ListingSummary } from '../listings/listing-schema.js';

export interface ApplicationView {
  id: string;
  scholarshipId: string;
  status: 'started' | 'submitted' | 'withdrawn';
  startedAt: string;
  updatedAt: string;
  submittedAt: string | null;
  scholarship: ListingSummary;
}

export type StartOutcome = { kind: 'created' | 'existing'; application: ApplicationView } | { kind: 'not_found' } | { kind: 'not_open' };

/** Applications (R-CAT-2): one per student and scholarship, started once however often it is asked. */
export class ApplicationRepository {
  constructor(
    private readonly sql: Sql,
    private readonly db: PostgresJsDatabase<Record<string, unknown>>,
    private readonly outbox: OutboxTable,
    private readonly siteUrl: string,
  ) {}

  /**
   * Starts an application unless there is one: the unique (user, scholarship)
   * index decides between concurrent twins, and only the insert that won
   * writes `catalog.application.started.v1` to the outbox, in its transaction.
   */
  async start(userId: string, scholarshipId: string): Promise<StartOutcome> {
    const created = await this.db.transaction(async (tx) => {
      const [listing] = await tx.execute<{ provider_org_id: string; open: boolean }>(drizzleSql`
        select provider_org_id, status = 'published' and (deadline is null or deadline >= current_date) as open
        from catalog.scholarships where id = ${scholarshipId}::uuid and status <> 'draft'`);
      if (!listing) return 'not_found' as const;
      if (!listing.open) return false;
      const [inserted] = await tx.execute<{ id: string }>(drizzleSql`
        insert into catalog.applications (user_id, scholarship_id) values (${userId}, ${scholarshipId}::uuid)
        on conflict (user_id, scholarship_id) do nothing
        returning id`);
      if (!inserted) return false;
      await enqueue(
        tx,
        this.outbox,
        createEvent(ApplicationStarted, {
          subject: inserted.id,
          data: { applicationId: inserted.id, scholarshipId, providerOrgId: listing.provider_org_id, userId },
        }),
      );
      return true;
    });
    if (created === 'not_found') return { kind: 'not_found' };
    const [application] = await this.find(userId, this.sql`a.scholarship_id = ${scholarshipId}::uuid`);
    if (!application) return { kind: 'not_open' };
    return { kind: created ? 'created' : 'existing', application };
  }

  async get(userId: string, applicationId: string): Promise<ApplicationView | undefined> {
    const [application] = await this.find(userId, this.sql`a.id = ${applicationId}::uuid`);
    return application;
  }

  list(userId: string): Promise<ApplicationView[]> {
    return this.find(userId, this.sql`true`);
  }

  private async find(userId: string, condition: PendingQuery<Row[]>): Promise<ApplicationView[]> {
    const { sql } = this;
    const rows = await sql<Array<{ item: ApplicationView }>>`
      select json_build_object(
        'id', a.id, 'scholarshipId', a.scholarship_id, 'status', a.status,
        'startedAt', a.started_at, 'updatedAt', a.updated_at, 'submittedAt', a.submitted_at,
        'scholarship', ${listingJson(sql, this.siteUrl, false)}) as item
      from catalog.applications a
      join catalog.scholarships s on s.id = a.scholarship_id
      join catalog.provider_orgs o on o.id = s.provider_org_id
      where a.user_id = ${userId} and ${condition}
      order by a.started_at desc, a.id
      limit 500`;
    return rows.map((row) => row.item);
  }
}
