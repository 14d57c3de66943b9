// ts_headline copies the document verbatim, markup included, so it marks
// matches with two private-use characters; the text is HTML-escaped first
// and only then are they turned into <mark> (no HTML from a listing ever
// reaches a client as markup).
const START = '\uE000';
const STOP = '\uE001';

export const TITLE_HEADLINE_OPTIONS = `HighlightAll=true, StartSel=${START}, StopSel=${STOP}`;
export const SNIPPET_HEADLINE_OPTIONS = `MaxFragments=2, MaxWords=28, MinWords=12, ShortWord=3, FragmentDelimiter=" … ", StartSel=${START}, StopSel=${STOP}`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** A ts_headline result as safe HTML with <mark> around the matched words. */
export function markHighlights(headline: string): string {
  return escapeHtml(headline).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');
}
