import { performance } from 'node:perf_hooks';
import { detectShell } from '../../src/detectors/shell-detector.js';
import { parseRequest } from '../../src/request/parse-request.js';
const value = '\r\n'.repeat(32768);
const parsed = parseRequest({ method: 'POST', url: '/v1/items', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ v: value }) }, { maxBodyBytes: 70000, maxArgs: 512, maxJsonDepth: 32 });
console.log(parsed.bodyKind, parsed.fields.map((f) => `${f.kind}:${f.value.length}`));
for (const f of parsed.fields) {
  let t = performance.now(); const l = f.lower; console.log(f.kind, 'lower', (performance.now() - t).toFixed(1), l.length, JSON.stringify(l.slice(0, 12)));
  t = performance.now(); detectShell(l); console.log('shell', (performance.now() - t).toFixed(1));
}
