import type { Sql } from 'postgres';

export interface SitemapPartInfo {
  part: number;
  lastModified: Date;
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/**
 * The sitemap (R-CAT-4, sitemaps.org): /sitemap.xml is an index over
 * /sitemap-scholarships-<n>.xml files of at most `perFile` (≤ 50,000) URLs,
 * published listings in id order, so a listing stays in its file.
 */
export class Sitemap {
  constructor(
    private readonly sql: Sql,
    private readonly siteUrl: string,
    private readonly perFile: number,
  ) {}

  partUrl(part: number): string {
    return `${this.siteUrl}/sitemap-scholarships-${part}.xml`;
  }

  async parts(): Promise<SitemapPartInfo[]> {
    const rows = await this.sql<Array<{ part: number; last: string }>>`
      select part::int, to_json(max(updated_at)) #>> '{}' as last
      from (select (row_number() over (order by id) - 1) / ${this.perFile} + 1 as part, updated_at
            from catalog.scholarships where status = 'published') numbered
      group by part order by part`;
    // An empty catalog still has one (empty) sitemap, so the index is never empty.
    if (rows.length === 0) return [{ part: 1, lastModified: new Date(0) }];
    return rows.map((row) => ({ part: row.part, lastModified: new Date(row.last) }));
  }

  renderIndex(parts: readonly SitemapPartInfo[]): string {
    const entries = parts.map((p) => `<sitemap><loc>${xmlEscape(this.partUrl(p.part))}</loc><lastmod>${p.lastModified.toISOString()}</lastmod></sitemap>`);
    return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</sitemapindex>\n`;
  }

  /** One sitemap file; undefined when the part does not exist. */
  async renderPart(part: number): Promise<{ body: string; lastModified: Date } | undefined> {
    if (part < 1) return undefined;
    const rows = await this.sql<Array<{ slug: string; last: string }>>`
      select slug, to_json(updated_at) #>> '{}' as last
      from catalog.scholarships where status = 'published'
      order by id offset ${(part - 1) * this.perFile} limit ${this.perFile}`;
    if (rows.length === 0 && part > 1) return undefined;
    let lastModified = new Date(0);
    const urls = rows.map((row) => {
      const modified = new Date(row.last);
      if (modified > lastModified) lastModified = modified;
      return `<url><loc>${xmlEscape(`${this.siteUrl}/scholarships/${row.slug}`)}</loc><lastmod>${modified.toISOString()}</lastmod></url>`;
    });
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
    return { body, lastModified };
  }
}
