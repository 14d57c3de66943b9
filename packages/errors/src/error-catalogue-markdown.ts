import type { ErrorDefinition } from './error-catalogue.js';
import { PROBLEM_TYPE_BASE } from './problem-schema.js';

type DeclaredError = ErrorDefinition & { code: string; area: string };

/** A table cell: one line, and no `|` to break the table. */
const cell = (text: string) => text.replaceAll('|', '\\|').replace(/\s+/g, ' ').trim();

/**
 * docs/errors.md: every declared error as API clients need it (DESIGN.md
 * §3.7), grouped by area. Each code has an anchor of its own, so the
 * problem's `type` (`PROBLEM_TYPE_BASE` + code) points at its row.
 */
export function errorCatalogueMarkdown(errors: readonly DeclaredError[]): string {
  const areas = [...new Set(errors.map((error) => error.area))].sort();
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from the error catalogues (`defineErrors`) by `npm run docs:errors`; a test fails when this file is stale. Do not edit by hand. -->',
    '',
    'Every error answer is `application/problem+json` (RFC 9457) with a stable',
    '`code`; branch on `code`, never on `title` or `detail` (their wording may',
    `change). \`type\` is \`${PROBLEM_TYPE_BASE}<code>\`, an anchor on this page.`,
    'Besides the RFC\'s members, a problem carries `code`; `instance` is the',
    'request id (`x-request-id`: quote it to support) and validation errors list',
    '`errors`, one `{ field, message }` per failing field.',
    'A 429 or 503 carries `Retry-After`; 5xx bodies never describe internals.',
    '',
    `${errors.length} codes in ${areas.length} areas.`,
    '',
  ];
  for (const area of areas) {
    lines.push(`## ${area}`, '', '| code | status | title | meaning |', '|---|---|---|---|');
    for (const error of errors.filter((candidate) => candidate.area === area)) {
      lines.push(`| <a id="${error.code}"></a>\`${error.code}\` | ${error.status} | ${cell(error.title)} | ${cell(error.description)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
