import { CITIZENSHIP_STATUSES, DEMOGRAPHIC_TAGS, EDUCATION_LEVELS, FIELDS_OF_STUDY, US_STATES } from '@bursary/catalog-taxonomy';
import type { ListingDetail } from '../listings/listing-schema.js';
import { html, jsonForScript, toHtml } from './html.js';

const META_DESCRIPTION_CHARS = 160;

/** The description search engines show: the summary (or description), cut at a word near 160 characters. */
export function metaDescription(listing: ListingDetail): string {
  const text = (listing.summary.trim() || listing.description.trim() || listing.title).replace(/\s+/g, ' ');
  if (text.length <= META_DESCRIPTION_CHARS) return text;
  const cut = text.slice(0, META_DESCRIPTION_CHARS - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 80))}…`;
}

function money(minor: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: minor % 100 === 0 ? 0 : 2 }).format(minor / 100);
}

function awardText(listing: ListingDetail): string {
  const { minMinor, maxMinor, currency } = listing.award;
  if (minMinor !== null && maxMinor !== null && minMinor !== maxMinor) return `${money(minMinor, currency)} – ${money(maxMinor, currency)}`;
  const amount = maxMinor ?? minMinor;
  return amount === null ? 'Amount varies' : money(amount, currency);
}

const labels = (codes: readonly string[], vocabulary: Record<string, string>) => codes.map((code) => vocabulary[code] ?? code).join(', ');

function criteriaLines(listing: ListingDetail): string[] {
  const c = listing.eligibility;
  const lines: string[] = [];
  if (c.minGpa !== null) lines.push(`Minimum GPA: ${c.minGpa.toFixed(2)}`);
  if (c.educationLevels.length > 0) lines.push(`Education level: ${labels(c.educationLevels, EDUCATION_LEVELS)}`);
  if (c.fieldsOfStudy.length > 0) lines.push(`Field of study: ${labels(c.fieldsOfStudy, FIELDS_OF_STUDY)}`);
  if (c.states.length > 0) lines.push(`Residents of: ${labels(c.states, US_STATES)}`);
  if (c.citizenship.length > 0) lines.push(`Citizenship: ${labels(c.citizenship, CITIZENSHIP_STATUSES)}`);
  if (c.demographicTags.length > 0) lines.push(`Open to: ${labels(c.demographicTags, DEMOGRAPHIC_TAGS)}`);
  if (c.needBased) lines.push('Demonstrated financial need');
  if (c.meritBased) lines.push('Merit-based');
  return lines.length > 0 ? lines : ['Open to all students'];
}

/** schema.org MonetaryGrant: what search engines read as the grant's structured data. */
export function structuredData(listing: ListingDetail, canonical: string): Record<string, unknown> {
  const { minMinor, maxMinor, currency } = listing.award;
  return {
    '@context': 'https://schema.org',
    '@type': 'MonetaryGrant',
    '@id': canonical,
    url: canonical,
    identifier: listing.id,
    name: listing.title,
    description: metaDescription(listing),
    funder: { '@type': 'Organization', name: listing.provider.name },
    ...(minMinor !== null || maxMinor !== null
      ? {
          amount: {
            '@type': 'MonetaryAmount',
            currency,
            ...(minMinor !== null ? { minValue: minMinor / 100 } : {}),
            ...(maxMinor !== null ? { maxValue: maxMinor / 100 } : {}),
          },
        }
      : {}),
    ...(listing.deadline ? { expires: listing.deadline } : {}),
    ...(listing.updatedAt ? { dateModified: listing.updatedAt } : {}),
  };
}

/**
 * The server-rendered landing page of one scholarship (R-CAT-4): canonical
 * link, meta description, Open Graph and JSON-LD in the head, the listing
 * in plain semantic HTML; no script, so the page CSP holds.
 */
export function renderLandingPage(listing: ListingDetail, siteUrl: string): string {
  const canonical = `${siteUrl}/scholarships/${listing.slug}`;
  const description = metaDescription(listing);
  const closed = listing.status === 'closed';
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${listing.title} | Bursary</title>
<meta name="description" content="${description}">
<link rel="canonical" href="${canonical}">
<meta property="og:type" content="website">
<meta property="og:title" content="${listing.title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${canonical}">
<script type="application/ld+json">${jsonForScript(structuredData(listing, canonical))}</script>
</head>
<body>
<main>
<article>
<h1>${listing.title}</h1>
${closed ? html`<p><strong>This scholarship is closed and no longer accepts applications.</strong></p>` : ''}
<p>${listing.summary}</p>
<dl>
<dt>Award</dt><dd>${awardText(listing)}${listing.awardsCount !== null ? html` (${listing.awardsCount} award${listing.awardsCount === 1 ? '' : 's'})` : ''}</dd>
<dt>Deadline</dt><dd>${listing.deadline ?? 'Rolling'}</dd>
<dt>Renewable</dt><dd>${listing.renewable ? 'Yes' : 'No'}</dd>
<dt>Essay</dt><dd>${listing.essayRequired ? 'Required' : 'Not required'}</dd>
<dt>Provider</dt><dd>${listing.provider.name}</dd>
</dl>
<h2>Eligibility</h2>
<ul>${criteriaLines(listing).map((line) => html`<li>${line}</li>`)}</ul>
<h2>About this scholarship</h2>
${listing.description.split(/\n{2,}/).filter((part) => part.trim() !== '').map((part) => html`<p>${part.trim()}</p>`)}
${!closed && listing.applicationUrl ? html`<p><a href="${listing.applicationUrl}" rel="nofollow noopener">Apply on the provider's site</a></p>` : ''}
</article>
</main>
</body>
</html>
`;
  return toHtml(page);
}
