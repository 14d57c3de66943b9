/** RFC 6901: `~` and `/` inside a reference token. */
export function escapePointerToken(token: string): string {
  return token.includes('~') || token.includes('/') ? token.replace(/~/g, '~0').replace(/\//g, '~1') : token;
}

export interface JsonEntry {
  /** `key` for an object member name, `value` for a string value. */
  role: 'key' | 'value';
  pointer: string;
  text: string;
}

export interface JsonWalkLimits {
  maxDepth: number;
  maxEntries: number;
}

/**
 * Every object key and string value of a parsed JSON document, with its JSON
 * pointer, depth first. Numbers, booleans and null cannot carry a payload and
 * are skipped; keys can, and are reported like values. Bounded: deeper nesting or more entries than the limits are reported via
 * `truncated` and not walked.
 */
export function walkJson(document: unknown, limits: JsonWalkLimits): { entries: JsonEntry[]; truncated: boolean } {
  const entries: JsonEntry[] = [];
  let truncated = false;
  const visit = (node: unknown, pointer: string, depth: number): void => {
    if (entries.length >= limits.maxEntries || depth > limits.maxDepth) {
      truncated = true;
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${pointer}/${index}`, depth + 1));
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
        const childPointer = `${pointer}/${escapePointerToken(key)}`;
        if (entries.length >= limits.maxEntries) {
          truncated = true;
          return;
        }
        entries.push({ role: 'key', pointer: childPointer, text: key });
        visit(child, childPointer, depth + 1);
      }
      return;
    }
    if (typeof node === 'string') entries.push({ role: 'value', pointer, text: node });
  };
  visit(document, '', 0);
  return { entries, truncated };
}

/**
 * JSON.parse keeps `__proto__` as an own key (it never assigns prototypes),
 * so prototype-pollution payloads are visible to the walk above.
 */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
