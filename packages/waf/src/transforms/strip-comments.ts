/**
 * Removes `/* … *\/` block comments and `#` or `//` comments that end at a
 * line break, in one forward scan (the equivalent regexes rescan from every
 * unterminated comment start: quadratic on `/*(/*(…`). Unterminated comments
 * are left as text.
 */
export function stripCodeComments(text: string, lineComments = true): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const block = text.indexOf('/*', i);
    const hash = lineComments ? text.indexOf('#', i) : -1;
    const slashes = lineComments ? text.indexOf('//', i) : -1;
    let start = block;
    for (const candidate of [hash, slashes]) if (candidate >= 0 && (start < 0 || candidate < start)) start = candidate;
    if (start < 0) break;
    const isBlock = start === block;
    let end: number;
    if (isBlock) {
      const close = text.indexOf('*/', start + 2);
      end = close < 0 ? -1 : close + 2;
    } else {
      const newline = text.slice(start).search(/[\r\n]/);
      end = newline < 0 ? -1 : start + newline + 1;
    }
    if (end < 0) break;
    out += `${text.slice(i, start)} `;
    i = end;
  }
  return out + text.slice(i);
}

