/** Stripe's key order: id and object first, then alphabetical (also a canonical form for comparing parameters). */
function stripeKeyOrder(_key: string, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const rank = (name: string) => (name === 'id' ? 0 : name === 'object' ? 1 : 2);
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** Stripe's pretty-printed JSON; a replay sends exactly these bytes again. */
export function stripeJson(body: unknown): string {
  return JSON.stringify(body, stripeKeyOrder, 2);
}
