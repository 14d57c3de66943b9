import { percentDecode } from '../transforms/url-decode.js';

export interface FormPair {
  name: string;
  value: string;
}

export interface ParsedForm {
  pairs: FormPair[];
  /** A `%` not followed by a valid escape (CRS 920220/920240). */
  badEscape: boolean;
  /** Percent-decoded bytes that are not well-formed UTF-8 (CRS 920250). */
  malformedUtf8: boolean;
  /** More pairs than the limit; the rest were not inspected. */
  truncated: boolean;
}

/**
 * `application/x-www-form-urlencoded` (and query strings): `&`-separated
 * pairs, the first `=` splits name from value, `+` is a space. Splitting
 * happens before decoding, so an encoded `%3D` stays inside its name.
 */
export function parseForm(text: string, maxPairs: number): ParsedForm {
  const pairs: FormPair[] = [];
  let badEscape = false;
  let malformedUtf8 = false;
  let truncated = false;
  if (text.length === 0) return { pairs, badEscape, malformedUtf8, truncated };
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    const part = text.slice(start, end);
    start = end + 1;
    if (part.length === 0) continue;
    if (pairs.length >= maxPairs) {
      truncated = true;
      break;
    }
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const name = percentDecode(rawName, true);
    const value = percentDecode(rawValue, true);
    badEscape ||= name.badEscape || value.badEscape;
    malformedUtf8 ||= name.malformedUtf8 || value.malformedUtf8;
    pairs.push({ name: name.text, value: value.text });
  }
  return { pairs, badEscape, malformedUtf8, truncated };
}

/** `Cookie: a=1; b=2`. Names and values as sent; the field views decode them. */
export function parseCookies(header: string, maxPairs: number): FormPair[] {
  const pairs: FormPair[] = [];
  for (const part of header.split(';')) {
    if (pairs.length >= maxPairs) break;
    const trimmed = part.trim();
    if (trimmed.length === 0) continue;
    const eq = trimmed.indexOf('=');
    pairs.push(eq < 0 ? { name: trimmed, value: '' } : { name: trimmed.slice(0, eq).trim(), value: trimmed.slice(eq + 1).trim() });
  }
  return pairs;
}
