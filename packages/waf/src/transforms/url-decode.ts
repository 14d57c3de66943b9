const HEX = /^[0-9a-fA-F]$/;

function hexValue(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const ch = text[i];
    if (ch === undefined || !HEX.test(ch)) return -1;
    value = value * 16 + Number.parseInt(ch, 16);
  }
  return value;
}

/**
 * UTF-8 decoding that keeps what a strict decoder would throw away: overlong
 * forms (`%c0%ae` is `.`, `%e0%80%af` is `/`) decode to the character they
 * spell, because some servers behind a proxy still accept them (CVE-2000-0884
 * style traversal). Bytes that form no sequence at all keep their Latin-1
 * value, so a rule can still see them.
 */
export function decodeUtf8Lenient(bytes: readonly number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    const need = b >= 0xc0 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf8 ? 3 : 0;
    let code = need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
      else code = (code << 6) | (c & 0x3f);
    }
    if (ok && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) {
      out += String.fromCodePoint(code);
      i += need + 1;
    } else {
      out += String.fromCharCode(b);
      i++;
    }
  }
  return out;
}

/** True when percent-decoded bytes are not well-formed UTF-8 (overlong, truncated or stray bytes). */
export function isMalformedUtf8(bytes: readonly number[]): boolean {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return true;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return true;
    }
    const second = bytes[i + 1]!;
    // Overlong three- and four-byte forms and UTF-16 surrogates.
    if (b === 0xe0 && second < 0xa0) return true;
    if (b === 0xed && second > 0x9f) return true;
    if (b === 0xf0 && second < 0x90) return true;
    if (b === 0xf4 && second > 0x8f) return true;
    i += need + 1;
  }
  return false;
}

export interface PercentDecoded {
  text: string;
  /** The decoded bytes were not well-formed UTF-8. */
  malformedUtf8: boolean;
  /** A `%` was not followed by two hex digits (or `u` and four). */
  badEscape: boolean;
}

/**
 * ModSecurity's urlDecodeUni: `%XX` bytes (read as UTF-8, leniently),
 * IIS-style `%uXXXX`, and optionally `+` as a space. Invalid escapes stay as
 * they are and are reported, never thrown.
 */
export function percentDecode(text: string, plusAsSpace: boolean): PercentDecoded {
  if (!text.includes('%') && !(plusAsSpace && text.includes('+'))) return { text, malformedUtf8: false, badEscape: false };
  let out = '';
  let bytes: number[] = [];
  let malformedUtf8 = false;
  let badEscape = false;
  const flush = () => {
    if (bytes.length === 0) return;
    if (isMalformedUtf8(bytes)) malformedUtf8 = true;
    out += decodeUtf8Lenient(bytes);
    bytes = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '%') {
      const byte = hexValue(text, i + 1, 2);
      if (byte >= 0) {
        bytes.push(byte);
        i += 2;
        continue;
      }
      if ((text[i + 1] === 'u' || text[i + 1] === 'U') && hexValue(text, i + 2, 4) >= 0) {
        flush();
        out += String.fromCharCode(hexValue(text, i + 2, 4));
        i += 5;
        continue;
      }
      badEscape = true;
    }
    flush();
    out += plusAsSpace && ch === '+' ? ' ' : ch;
  }
  flush();
  return { text: out, malformedUtf8, badEscape };
}
