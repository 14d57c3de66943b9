import type { Sql } from 'postgres';
import { listingJson } from '../listings/listing-sql.js';
import type { ListingSummary } from '../listings/listing-schema.js';

export interface ShortlistEntry {
  scholarship: ListingSummary;
  addedAt: string;
}

/** A student's shortlist (R-CAT-2): a set of published scholarships, newest first. */
export class ShortlistRepository {
  constructor(
    private readonly sql: Sql,
    private readonly siteUrl: string,
  ) {}

  /** Adds a published scholarship; 'added' the first time, 'present' after, 'not_found' for no such listing. */
  async add(userId: string, scholarshipId: string): Promise<'added' | 'present' | 'not_found'> {
    const [row] = await this.sql<Array<{ inserted: boolean; found: boolean }>>`
      with target as (select id from catalog.scholarships where id = ${scholarshipId}::uuid and status = 'published'),
      inserted as (
        insert into catalog.shortlist_items (user_id, scholarship_id)
        select ${userId}, id from target
        on conflict do nothing
        returning 1)
      select exists (select 1 from inserted) as inserted, exists (select 1 from target) as found`;
    return row?.inserted ? 'added' : row?.found ? 'present' : 'not_found';
  }

  async remove(userId: string, scholarshipId: string): Promise<void> {
    await this.sql`delete from catalog.shortlist_items where user_id = ${userId} and scholarship_id = ${scholarshipId}::uuid`;
  }

  async list(userId: string): Promise<ShortlistEntry[]> {
    const { sql } = this;
    return sql<ShortlistEntry[]>`
      select ${listingJson(sql, this.siteUrl, false)} as scholarship, to_json(i.created_at) #>> '{}' as "addedAt"
      from catalog.shortlist_items i
      join catalog.scholarships s on s.id = i.scholarship_id
      join catalog.provider_orgs o on o.id = s.provider_org_id
      where i.user_id = ${userId}
      order by i.created_at desc, s.id
      limit 500`;
  }
}
