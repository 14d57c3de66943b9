export interface XmlValue {
  /** `attr` for an attribute value, `text` for character data. */
  role: 'attr' | 'text';
  /** Element (and attribute) path, e.g. `/root/a/@probe`. */
  path: string;
  text: string;
}

/** `name="value"` pairs of a start tag, scanned in one pass (a regex with matchAll would be quadratic on a long tag without `=`). */
function attributes(tag: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  while (i < tag.length) {
    const eq = tag.indexOf('=', i);
    if (eq < 0) break;
    let nameEnd = eq;
    while (nameEnd > i && /\s/.test(tag[nameEnd - 1]!)) nameEnd--;
    let nameStart = nameEnd;
    while (nameStart > i && !/[\s/]/.test(tag[nameStart - 1]!)) nameStart--;
    let q = eq + 1;
    while (q < tag.length && /\s/.test(tag[q]!)) q++;
    const quote = tag[q];
    if (quote !== '"' && quote !== "'") {
      i = eq + 1;
      continue;
    }
    const close = tag.indexOf(quote, q + 1);
    const end = close < 0 ? tag.length : close;
    pairs.push([tag.slice(nameStart, nameEnd), tag.slice(q + 1, end)]);
    i = end + 1;
  }
  return pairs;
}

/**
 * Attribute values and text of an XML body, the way CRS inspects `XML:/*`.
 * A scanner, not a parser: no entity expansion (so no XXE here), no DTD
 * processing, bounded by `maxValues`; entities stay encoded and are decoded
 * by the field views like any other value.
 */
export function extractXml(body: string, maxValues: number): XmlValue[] {
  const values: XmlValue[] = [];
  const stack: string[] = [];
  let i = 0;
  const push = (value: XmlValue) => {
    if (values.length < maxValues) values.push(value);
  };
  while (i < body.length && values.length < maxValues) {
    const open = body.indexOf('<', i);
    const text = (open < 0 ? body.slice(i) : body.slice(i, open)).trim();
    if (text.length > 0) push({ role: 'text', path: `/${stack.join('/')}`, text });
    if (open < 0) break;
    if (body.startsWith('<![CDATA[', open)) {
      const close = body.indexOf(']]>', open);
      const end = close < 0 ? body.length : close;
      push({ role: 'text', path: `/${stack.join('/')}`, text: body.slice(open + 9, end) });
      i = end + 3;
      continue;
    }
    if (body.startsWith('<!--', open)) {
      const close = body.indexOf('-->', open);
      i = close < 0 ? body.length : close + 3;
      continue;
    }
    const close = body.indexOf('>', open);
    if (close < 0) {
      push({ role: 'text', path: `/${stack.join('/')}`, text: body.slice(open) });
      break;
    }
    const tag = body.slice(open + 1, close);
    i = close + 1;
    if (tag.startsWith('?') || tag.startsWith('!')) {
      // Declarations and DTDs are inspected as text: `<!ENTITY x SYSTEM …>` is what XXE looks like.
      if (tag.startsWith('!')) push({ role: 'text', path: `/${stack.join('/')}`, text: `<${tag}>` });
      continue;
    }
    if (tag.startsWith('/')) {
      stack.pop();
      continue;
    }
    const nameEnd = tag.search(/[\s/]/);
    const name = nameEnd < 0 ? tag : tag.slice(0, nameEnd);
    for (const [attribute, value] of attributes(tag.slice(name.length))) {
      push({ role: 'attr', path: `/${[...stack, name].join('/')}/@${attribute}`, text: value });
    }
    if (!tag.endsWith('/') && stack.length < 64) stack.push(name);
  }
  return values;
}
