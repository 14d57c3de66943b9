import { performance } from 'node:perf_hooks';
import { createWafEngine } from '../../src/index.js';
import { parseRequest } from '../../src/request/parse-request.js';
import type { FieldRule, RequestRule } from '../../src/rules/rule.js';
const engine = createWafEngine({ limits: { maxBodyBytes: 70_000 } });
const value = '\r\n'.repeat(32768);
for (const [ct, body] of [['application/json', JSON.stringify({ v: value })], ['application/x-www-form-urlencoded', `v=${encodeURIComponent(value).slice(0, 65000)}`]] as const) {
  const req = { method: 'POST', url: '/v1/items', headers: { 'content-type': ct }, body };
  let t = performance.now();
  const parsed = parseRequest(req, engine.limits);
  console.log(ct, 'parse', (performance.now() - t).toFixed(1));
  for (const rule of engine.rules) {
    t = performance.now();
    if (rule.scope === 'request') (rule as RequestRule).check(parsed);
    else for (const f of parsed.fields) if ((rule as FieldRule).targets.includes(f.kind)) (rule as FieldRule).match(f);
    const dt = performance.now() - t;
    if (dt > 20) console.log('  ', rule.id, dt.toFixed(1));
  }
}
