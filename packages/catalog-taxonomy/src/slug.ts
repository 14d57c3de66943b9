import { randomBytes } from 'node:crypto';

const MAX_BASE = 80;

/** The readable part of a slug: ASCII, lower-case, dash-separated ("Zoë's Award" → "zoes-award"). */
export function slugBase(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_BASE)
    .replace(/-+$/, '');
  return base === '' ? 'scholarship' : base;
}

/**
 * A listing's public page is /scholarships/<slug>. The random suffix makes
 * two listings with one title distinct without a read-then-write race; the
 * slug never changes after creation, so links and the sitemap stay valid.
 */
export function newSlug(title: string): string {
  return `${slugBase(title)}-${randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0')}`;
}
