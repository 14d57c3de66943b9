import type { TSchema } from 'typebox';

type SchemaLike = TSchema & Record<string, unknown>;

/** The expected form of one variable, in words, from its schema. */
export function describeSchema(schema: TSchema): string {
  const s = schema as SchemaLike;
  if (typeof s['description'] === 'string') return s['description'];
  const variants = (s['anyOf'] as SchemaLike[] | undefined) ?? undefined;
  if (variants && variants.every((v) => 'const' in v)) return `one of ${variants.map((v) => JSON.stringify(v['const'])).join(', ')}`;
  if ('const' in s) return JSON.stringify(s['const']);
  switch (s['type']) {
    case 'integer':
    case 'number': {
      const kind = s['type'] === 'integer' ? 'an integer' : 'a number';
      const min = s['minimum'];
      const max = s['maximum'];
      if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
      if (min !== undefined) return `${kind} ≥ ${min}`;
      return kind;
    }
    case 'boolean':
      return 'true or false';
    case 'string':
      if (s['format'] === 'uri') return 'a URL';
      if (typeof s['pattern'] === 'string') return `a string matching ${s['pattern']}`;
      return 'a non-empty string';
    default:
      return 'a valid value';
  }
}
