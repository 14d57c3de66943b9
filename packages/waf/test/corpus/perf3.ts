import { performance } from 'node:perf_hooks';
import { createWafEngine } from '../../src/index.js';
const engine = createWafEngine();
const purchase = { scholarshipId: '8f14e45f-ceea-467f-a0e6-3f1b2c9d0a11', amount: 4999, currency: 'USD', paymentMethodId: 'pm_1NzQ2vLkdIwHu7ixYb3R8kTq', billing: { name: "Seán O'Brien", email: 'sean.obrien@example.ie', address: { line1: "12 Rue d'Arlon", line2: 'Apt 4B', city: 'Bruxelles', postalCode: '1050', country: 'BE' } }, note: 'Gift for my niece -- thanks!', items: Array.from({ length: 6 }, (_, i) => ({ sku: `APP-FEE-${i}`, qty: 1, unitAmount: 1250 + i })), metadata: { utm_source: 'newsletter', utm_campaign: 'fall & winter', ref: 'a=1&b=2', sessionStart: '2025-05-01T10:22:33Z' } };
const body = JSON.stringify(purchase);
console.log('bytes', body.length);
const headers = { host: 'api.scholarhub.example', 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', accept: 'application/json', 'content-type': 'application/json', 'content-length': String(body.length), authorization: 'Bearer abc.def.ghi', 'idempotency-key': 'b6f1f0d2-8d8e-4c57-9a4f-0c7f4c8a1e20' };
const req = { method: 'POST', url: '/v1/payments/purchases', headers, body: Buffer.from(body) };
for (let i = 0; i < 3000; i++) engine.inspect(req);
const times: number[] = [];
for (let i = 0; i < 20000; i++) { const t = performance.now(); engine.inspect(req); times.push(performance.now() - t); }
times.sort((a, b) => a - b);
console.log('p50', times[10000]!.toFixed(4), 'p99', times[19800]!.toFixed(4), engine.inspect(req).matches);
