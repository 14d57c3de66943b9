import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../src/api/search-query.js';
import { StripeError } from '../src/api/stripe-error.js';

const fields = { amount: { kind: 'number' }, status: { kind: 'string' }, metadata: { kind: 'string' }, created: { kind: 'number' } } as const;
const paid = { amount: 2000, status: 'succeeded', created: 100, metadata: { purchase_id: 'p-1' } };
const open = { amount: 500, status: 'requires_payment_method', created: 200, metadata: {} };

function matching(query: string): unknown[] {
  const matches = parseSearchQuery(query, fields);
  return [paid, open].filter((object) => matches(object));
}

describe("Stripe's search query language (subset)", () => {
  it('matches metadata, strings, numbers, negation, null, AND, OR and implicit AND', () => {
    expect(matching("metadata['purchase_id']:'p-1'")).toEqual([paid]);
    expect(matching('metadata["purchase_id"]:null')).toEqual([open]);
    expect(matching("-status:'succeeded'")).toEqual([open]);
    expect(matching('amount>=2000')).toEqual([paid]);
    expect(matching('amount<2000 OR status:"succeeded"')).toEqual([paid, open]);
    expect(matching('amount>100 AND created>150')).toEqual([open]);
    expect(matching("status:'SUCCEEDED' amount:2000")).toEqual([paid]);
  });

  it('refuses what Stripe refuses: unknown fields, mixed AND/OR, dangling connectives, ranges on strings', () => {
    for (const query of ["customer_email:'x'", "amount>1 AND status:'a' OR status:'b'", "status:'a' AND", "status>'a'", '', 'status:']) {
      expect(() => parseSearchQuery(query, fields), query).toThrow(StripeError);
    }
  });
});
