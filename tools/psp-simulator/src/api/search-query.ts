import { invalidParam } from './stripe-error.js';

type Operator = ':' | '>' | '<' | '>=' | '<=';

interface Clause {
  negated: boolean;
  field: string;
  metadataKey?: string;
  operator: Operator;
  value: string | number | null;
}

export interface SearchField {
  kind: 'string' | 'number';
}

const MAX_CLAUSES = 10;
const TOKEN = /\s*(?:(-)?(metadata\[(?:'([^']*)'|"([^"]*)")\]|[a-z_]+)(>=|<=|:|>|<)(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?)|(null))|(AND|OR))\s*/y;

function invalid(message: string) {
  return invalidParam('query', `${message} See https://stripe.com/docs/search#search-query-language for the query syntax.`);
}

/**
 * The subset of Stripe's search query language the simulator understands:
 * clauses `field:value`, `field>n` (also <, >=, <=), `-field:value` (not),
 * `metadata['key']:'value'` and `metadata['key']:null`, joined by AND or by
 * OR (not both, as in Stripe) or by white space (AND). `fields` names the
 * searchable fields of the resource.
 */
export function parseSearchQuery(query: string, fields: Record<string, SearchField>): (object: Record<string, unknown>) => boolean {
  const clauses: Clause[] = [];
  const joiners = new Set<string>();
  TOKEN.lastIndex = 0;
  let expectClause = true;
  while (TOKEN.lastIndex < query.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(query);
    if (!match || match.index !== start) throw invalid(`The search query could not be parsed near position ${start}.`);
    if (match[10]) {
      if (expectClause) throw invalid(`Unexpected ${match[10]} at position ${start}.`);
      joiners.add(match[10]);
      expectClause = true;
      continue;
    }
    const [, minus, fieldToken = '', single, double, operator, singleValue, doubleValue, numberValue, nullValue] = match;
    const metadataKey = single ?? double;
    const field = metadataKey !== undefined ? 'metadata' : fieldToken;
    const spec = fields[field];
    if (metadataKey === undefined && (!spec || field === 'metadata')) throw invalid(`Field '${field}' is an unsupported search field for this resource.`);
    const value = nullValue ? null : numberValue !== undefined ? Number(numberValue) : (singleValue ?? doubleValue ?? '');
    if (operator !== ':' && (spec?.kind !== 'number' || typeof value !== 'number')) throw invalid(`Operator ${operator} needs a numeric field and a number.`);
    clauses.push({ negated: minus === '-', field, ...(metadataKey !== undefined ? { metadataKey } : {}), operator: operator as Operator, value });
    expectClause = false;
  }
  if (clauses.length === 0 || expectClause) throw invalid('The search query is empty or ends with a connective.');
  if (joiners.size > 1) throw invalid('A search query cannot mix AND and OR.');
  if (clauses.length > MAX_CLAUSES) throw invalid(`A search query can have at most ${MAX_CLAUSES} clauses.`);
  const any = joiners.has('OR');
  return (object) => (any ? clauses.some((clause) => evaluate(clause, object)) : clauses.every((clause) => evaluate(clause, object)));
}

function evaluate(clause: Clause, object: Record<string, unknown>): boolean {
  const actual = clause.metadataKey !== undefined ? (object['metadata'] as Record<string, string> | undefined)?.[clause.metadataKey] : object[clause.field];
  let result: boolean;
  if (clause.value === null) result = actual === undefined || actual === null;
  else if (clause.operator === ':') result = actual !== undefined && actual !== null && String(actual).toLowerCase() === String(clause.value).toLowerCase();
  else {
    const number = Number(actual);
    const bound = clause.value as number;
    result = clause.operator === '>' ? number > bound : clause.operator === '<' ? number < bound : clause.operator === '>=' ? number >= bound : number <= bound;
  }
  return clause.negated ? !result : result;
}
