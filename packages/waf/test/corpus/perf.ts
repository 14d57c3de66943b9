import { performance } from 'node:perf_hooks';
import { createWafEngine } from '../../src/index.js';
const engine = createWafEngine();
const body = JSON.stringify({ title: 'Women in Data Science Award', amount: 2500, deadline: '2025-11-30', description: 'Open to students who use SQL, Python or R. Select the essay prompt that fits you best, then update your profile and insert a short bio (max 300 words). Note: union membership is not required; drop-in info sessions run weekly.', eligibility: ['undergraduate', 'graduate'], tags: ['data', 'women', 'stem'], provider: { name: 'Johnson & Johnson Nursing Fund', website: 'https://www.jnj-fund.example.com/scholarships?ref=hub&lang=en', contactEmail: 'grants@jnj-fund.example.com' }, notes: "I'm a 1st-gen student -- I love C# & SQL databases! Favorite quote: \"Knowledge is power.\" We fund nurses. Select one of three tracks: RN, BSN or MSN. Applicants who drop out and re-enroll are welcome -- just tell us why.", extra: 'x'.repeat(120) });
console.log('body bytes', Buffer.byteLength(body));
const headers = { host: 'api.scholarhub.example', 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', accept: 'application/json', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), authorization: 'Bearer abc.def.ghi', cookie: 'sid=s%3AabC123xyz.Q1w2E3r4T5y6; theme=dark' };
const req = { method: 'POST', url: '/v1/scholarships?draft=true', headers, body: Buffer.from(body) };
const get = { method: 'GET', url: '/v1/search?q=women%20in%20STEM%20%26%20engineering&page=2&limit=20&sort=-deadline', headers: { ...headers, 'content-type': undefined, 'content-length': undefined } };
for (const [name, r] of [['json', req], ['get', get]] as const) {
  for (let i = 0; i < 2000; i++) engine.inspect(r);
  const times: number[] = [];
  for (let i = 0; i < 20000; i++) { const t = performance.now(); engine.inspect(r); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log(name, 'p50', times[10000]!.toFixed(4), 'p99', times[19800]!.toFixed(4), 'max', times[19999]!.toFixed(3), engine.inspect(r).matches);
}
