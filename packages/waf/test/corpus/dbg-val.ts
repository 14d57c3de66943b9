import { createWafEngine } from '../../src/index.js';
const engine = createWafEngine();
for (const v of process.argv.slice(2)) {
  const verdict = engine.inspect({ method: 'POST', url: '/post', headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' }, body: `x=${encodeURIComponent(v)}` });
  console.log(JSON.stringify(v).slice(0, 80), verdict.attack, verdict.matches.map((m) => m.ruleId).join(','));
}
