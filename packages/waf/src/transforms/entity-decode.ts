import { decodeUtf8Lenient } from './url-decode.js';

/**
 * Named entities that matter for markup and script injection. Browsers know
 * two thousand; these are the ones that spell punctuation an attacker needs
 * (`&colon;` in `javascript&colon;`, `&Tab;` to split a scheme, `&lpar;`).
 */
const NAMED: Readonly<Record<string, string>> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', tab: '\t', newline: '\n',
  colon: ':', semi: ';', comma: ',', period: '.', sol: '/', bsol: '\\', lpar: '(', rpar: ')',
  lsqb: '[', rsqb: ']', lbrack: '[', rbrack: ']', lcub: '{', rcub: '}', lbrace: '{', rbrace: '}',
  num: '#', excl: '!', quest: '?', equals: '=', plus: '+', grave: '`', percnt: '%', dollar: '$',
  ast: '*', midast: '*', vert: '|', verbar: '|', hat: '^', lowbar: '_', commat: '@', hyphen: '-', dash: '-',
};

const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,8});?|#([0-9]{1,10});?|([A-Za-z]{2,8});?)/g;

function fromCode(code: number): string {
  if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(code);
}

/** HTML character references, with or without the trailing `;` (as browsers parse attribute values). */
export function htmlEntityDecode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (match, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex !== undefined) return fromCode(Number.parseInt(hex, 16));
    if (dec !== undefined) return fromCode(Number.parseInt(dec, 10));
    const named = NAMED[name!.toLowerCase()];
    // An unknown name (`&T` in `AT&T`) is text, not an entity.
    return named ?? match;
  });
}

const JS_ESCAPE = /\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([0-7]{1,3})|([nrtbfv0'"\\/]))/g;
const SIMPLE: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0', "'": "'", '"': '"', '\\': '\\', '/': '/' };

const BYTE_ESCAPES = /(?:\\x[0-9a-fA-F]{2})+/g;

/**
 * JavaScript and JSON string escapes (`\u0061`, `\u{61}`, `\x61`, octal
 * `\141`). Runs of `\xNN` are bytes, read as UTF-8 like a C or PHP backend
 * would (`\xc2\xbc` is `¼`), falling back to Latin-1 per byte.
 */
export function jsDecode(text: string): string {
  if (!text.includes('\\')) return text;
  const bytesDecoded = text.includes('\\x')
    ? text.replace(BYTE_ESCAPES, (run) => {
        const bytes: number[] = [];
        for (let i = 0; i < run.length; i += 4) bytes.push(Number.parseInt(run.slice(i + 2, i + 4), 16));
        return decodeUtf8Lenient(bytes);
      })
    : text;
  return bytesDecoded.replace(JS_ESCAPE, (_m, brace: string | undefined, u: string | undefined, x: string | undefined, oct: string | undefined, simple: string | undefined) => {
    if (brace !== undefined) return fromCode(Number.parseInt(brace, 16));
    if (u !== undefined) return fromCode(Number.parseInt(u, 16));
    if (x !== undefined) return fromCode(Number.parseInt(x, 16));
    if (oct !== undefined) return fromCode(Number.parseInt(oct, 8));
    return SIMPLE[simple!] ?? '';
  });
}

// Fullwidth forms, circled letters and digits and the like: NFKC folds them to
// ASCII, which is what a backend that normalizes (or a lenient browser) sees.
// Variation selectors (U+FE00..FE0F) are left out: they combine, NFKC keeps them.
const COMPAT = /[\u00a0-\u00bf\u2000-\u2bff\u3000-\u303f\ufe10-\uffef]/;

export function foldCompatibility(text: string): string {
  return COMPAT.test(text) ? text.normalize('NFKC') : text;
}
