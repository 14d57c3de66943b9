import { performance } from 'node:perf_hooks';
import { createWafEngine } from '../../src/index.js';
import { parseRequest } from '../../src/request/parse-request.js';
import { detectSqli } from '../../src/detectors/sqli-detector.js';
import { detectShell } from '../../src/detectors/shell-detector.js';
import { detectXss } from '../../src/detectors/xss-detector.js';
const engine = createWafEngine();
const body = JSON.stringify({ title: 'Women in Data Science Award', amount: 2500, deadline: '2025-11-30', description: 'Open to students who use SQL, Python or R. Select the essay prompt that fits you best, then update your profile and insert a short bio (max 300 words). Note: union membership is not required; drop-in info sessions run weekly.', eligibility: ['undergraduate', 'graduate'], tags: ['data', 'women', 'stem'], provider: { name: 'Johnson & Johnson Nursing Fund', website: 'https://www.jnj-fund.example.com/scholarships?ref=hub&lang=en', contactEmail: 'grants@jnj-fund.example.com' }, notes: "I'm a 1st-gen student -- I love C# & SQL databases! Favorite quote: \"Knowledge is power.\" We fund nurses. Select one of three tracks: RN, BSN or MSN. Applicants who drop out and re-enroll are welcome -- just tell us why.", extra: 'x'.repeat(120) });
const headers = { host: 'api.scholarhub.example', 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', accept: 'application/json', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), authorization: 'Bearer abc.def.ghi', cookie: 'sid=s%3AabC123xyz.Q1w2E3r4T5y6; theme=dark' };
const parsed = parseRequest({ method: 'POST', url: '/v1/scholarships?draft=true', headers, body: Buffer.from(body) }, engine.limits);
for (const f of parsed.fields) {
  const t0 = performance.now(); for (let i = 0; i < 2000; i++) detectSqli(f.text);
  const t1 = performance.now(); for (let i = 0; i < 2000; i++) detectShell(f.lower);
  const t2 = performance.now(); for (let i = 0; i < 2000; i++) detectXss(f.lower);
  const t3 = performance.now();
  console.log(f.name.padEnd(28), ((t1 - t0) / 2).toFixed(1).padStart(6), ((t2 - t1) / 2).toFixed(1).padStart(6), ((t3 - t2) / 2).toFixed(1).padStart(6), JSON.stringify(f.value).slice(0, 50));
}
