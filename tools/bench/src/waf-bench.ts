// WAF latency benchmark (R-WAF-1..4, issue 4 target: p99 ≤ 0.5 ms added for a
// 1 KB JSON body). The latency the WAF adds to a request is its engine's
// inspect() call (the Fastify plugin around it only reads the body, which
// Fastify would read anyway, and hands the same bytes on), measured here on
// the request shapes the gateway sees.
// `pnpm --filter @bursary/bench run bench:waf` (or `pnpm --filter @bursary/waf bench`).
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createWafEngine, type WafRequest } from '@bursary/waf';
import { summarize } from './stats.js';

const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 20_000);
const WARMUP = Math.min(5_000, ITERATIONS);

const WORDS = ['scholarship', 'nursing', 'women', 'STEM', "O'Brien", 'engineering', 'fund', 'award', 'merit', 'Texas', 'first-gen', 'essay', '2025', 'grant', 'research', 'policy'];
const word = () => WORDS[Math.floor(Math.random() * WORDS.length)]!;
const HEADERS = {
  host: 'api.scholarhub.example',
  'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  accept: 'application/json, text/plain, */*',
  'accept-language': 'en-US,en;q=0.9',
  authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfN2Y0MiJ9.q3Vx-_Lm9dT2kPz0aBcDeFgHiJk',
};

/** A purchase-like JSON body of about 1 KB: ids, amounts, names, an address, a free-text note, line items. */
function purchaseBody(): string {
  const body = {
    scholarshipId: randomUUID(),
    amount: Math.floor(Math.random() * 10_000),
    currency: 'USD',
    paymentMethodId: `pm_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    billing: {
      name: `${word()} ${word()}`,
      email: `student${Math.floor(Math.random() * 1e6)}@example.edu`,
      address: { line1: `${Math.floor(Math.random() * 999)} ${word()} Street`, line2: `Apt ${Math.floor(Math.random() * 99)}`, city: word(), postalCode: String(10_000 + Math.floor(Math.random() * 89_999)), country: 'US' },
    },
    note: `Gift for my niece -- ${word()} & ${word()}, ${word()} (${word()})!`,
    items: Array.from({ length: 7 }, (_, i) => ({ sku: `APP-${Math.floor(Math.random() * 9999)}-${i}`, qty: 1 + (i % 2), unitAmount: Math.floor(Math.random() * 5000) })),
    metadata: { utm_source: 'newsletter', utm_campaign: `${word()} ${word()}`, ref: `a=${Math.floor(Math.random() * 100)}&b=2`, startedAt: new Date(Date.now() - Math.random() * 1e9).toISOString() },
  };
  return JSON.stringify(body);
}

function jsonRequest(body: string): WafRequest {
  return { method: 'POST', url: '/v1/payments/purchases', headers: { ...HEADERS, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'idempotency-key': randomUUID() }, body: Buffer.from(body) };
}

function getRequest(): WafRequest {
  const q = encodeURIComponent(`${word()} ${word()} ${word()}`);
  return { method: 'GET', url: `/v1/search?q=${q}&state=TX&minAmount=${Math.floor(Math.random() * 5000)}&page=${1 + Math.floor(Math.random() * 9)}&limit=20&sort=-deadline`, headers: { ...HEADERS, referer: 'https://www.google.com/search?q=scholarships+for+women+in+stem' } };
}

function measure(label: string, requests: () => WafRequest, inspect: (request: WafRequest) => unknown): void {
  const pool = Array.from({ length: Math.min(ITERATIONS, 5_000) }, requests);
  for (let i = 0; i < WARMUP; i++) inspect(pool[i % pool.length]!);
  const latencies: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const request = pool[i % pool.length]!;
    const started = performance.now();
    inspect(request);
    latencies.push(performance.now() - started);
  }
  const s = summarize(latencies);
  console.log(`${label.padEnd(58)} p50 ${s.p50.toFixed(3)} ms   p90 ${s.p90.toFixed(3)} ms   p99 ${s.p99.toFixed(3)} ms   max ${s.max.toFixed(2)} ms`);
}

console.log(`WAF benchmark: ${ITERATIONS} iterations each, ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}, node ${process.version}`);
const sample = purchaseBody();
console.log(`JSON body ≈ ${Buffer.byteLength(sample)} bytes, paranoia level ${createWafEngine().paranoiaLevel}`);

{
  // Same body every time: field names and values all repeat (the value cache's best case).
  const engine = createWafEngine();
  const fixed = jsonRequest(sample);
  measure('engine, POST 1 KB JSON, identical body', () => fixed, (r) => engine.inspect(r));
}
{
  // Fresh ids, names and amounts in every body: only names and constants repeat.
  const engine = createWafEngine();
  measure('engine, POST 1 KB JSON, values vary per request', () => jsonRequest(purchaseBody()), (r) => engine.inspect(r));
}
{
  const engine = createWafEngine({ valueCacheSize: 0 });
  measure('engine, POST 1 KB JSON, values vary, value cache off', () => jsonRequest(purchaseBody()), (r) => engine.inspect(r));
}
{
  const engine = createWafEngine();
  measure('engine, typical GET /v1/search with query and headers', getRequest, (r) => engine.inspect(r));
}
