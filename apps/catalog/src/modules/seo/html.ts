import { escapeHtml } from '../discovery/highlight.js';

/** Tagged template for HTML: interpolated strings are escaped, `raw()` values and arrays of them are not. */
const RAW = Symbol('raw');
export interface Raw {
  [RAW]: string;
}

export function raw(html: string): Raw {
  return { [RAW]: html };
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && RAW in value) return (value as Raw)[RAW];
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  return raw(strings.reduce((out, part, index) => out + part + (index < values.length ? render(values[index]) : ''), ''));
}

export function toHtml(value: Raw): string {
  return value[RAW];
}

/**
 * JSON inside <script type="application/ld+json">: `<` is escaped so that
 * no "</script>" in a listing can end the block, and U+2028/9 so that old
 * parsers that treat the block as script do not break.
 */
export function jsonForScript(value: unknown): Raw {
  return raw(JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029'));
}
