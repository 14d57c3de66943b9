import { foldCompatibility, htmlEntityDecode, jsDecode } from './entity-decode.js';
import { percentDecode } from './url-decode.js';

/**
 * Decoding rounds are capped: three layers of encoding cover every evasion
 * seen in practice (double URL encoding, URL inside an entity inside a JSON
 * escape), and the cap keeps the work per field linear in its length.
 */
export const MAX_DECODE_ROUNDS = 3;

const NUL = /\0/g;

/**
 * The value as a backend could end up reading it: URL escapes (again, for
 * double encoding), `%uXXXX`, overlong UTF-8, HTML entities and compatibility
 * forms, repeated until nothing changes. `withJs` also resolves JavaScript
 * escapes, which matter for script and template rules but would turn the
 * backslashes of a Windows path into control characters.
 */
export function deepDecode(value: string, withJs: boolean, fold = true): string {
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    let next = current.includes('%') ? percentDecode(current, false).text : current;
    next = htmlEntityDecode(next);
    if (withJs) next = jsDecode(next);
    if (fold) next = foldCompatibility(next);
    if (next === current) break;
    current = next;
  }
  return current.includes('\0') ? current.replace(NUL, '') : current;
}

const SPACES = /[\s\u000b]+/g;

export function compressWhitespace(text: string): string {
  return text.replace(SPACES, ' ');
}

/**
 * US-ASCII 7-bit folding: old IE and some backends drop the high bit, so
 * `\xbc` becomes `<`. Only applied when such bytes are present.
 */
export function stripHighBit(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code >= 0x80 && code <= 0xff ? String.fromCharCode(code & 0x7f) : ch;
  }
  return out;
}

const BASE64 = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

/**
 * Base64 decoding where CRS applies it (cookie and argument values that are
 * base64 as a whole). Only returns text when the result is mostly printable,
 * so random tokens do not produce noise.
 */
export function base64Text(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length > 8192 || !BASE64.test(trimmed)) return undefined;
  const decoded = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  let printable = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09) printable++;
  }
  return decoded.length > 0 && printable / decoded.length > 0.9 ? decoded : undefined;
}
