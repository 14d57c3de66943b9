import { performance } from 'node:perf_hooks';
import { createWafEngine } from '../../src/index.js';
import { parseRequest } from '../../src/request/parse-request.js';
import type { FieldRule } from '../../src/rules/rule.js';
const engine = createWafEngine({ paranoiaLevel: 4, limits: { maxBodyBytes: 300_000 } });
const shapes = process.argv.length > 2 ? process.argv.slice(2).map((s) => JSON.parse(`"${s}"`) as string) : ["'", '<', '<a ', '/../', '$(', '${', '((', ' or 1=', 'aaaaaaa=', '\\x', '%2', '&#', '/*', '--', '{{', 'on', 'x:', '@{[', '\r\n', '[', '"', '`', ' ', '\t', 'a ', ';', '|', '&', '(', ')', '0x', '1.', '\\', '%', '=', ':', '/', '.', '#', 'or ', "' or '", '$a', '!', '~', '*', 'select ', 'union ', ', ', '-', '_', '\n.', 'a\n', '<!--', 'java.lang.', 'for %', 'if '];
for (const shape of shapes) {
  const value = shape.repeat(Math.ceil(65_536 / shape.length)).slice(0, 65_536);
  const body = JSON.stringify({ v: value });
  const parsed = parseRequest({ method: 'POST', url: '/v1/items', headers: { 'content-type': 'application/json' }, body }, engine.limits);
  const field = parsed.fields.find((f) => f.kind === 'arg') ?? parsed.fields.find((f) => f.kind === 'arg-name')!;
  const slow: string[] = [];
  let total = 0;
  for (const rule of engine.rules) {
    if (rule.scope !== 'field') continue;
    const t = performance.now();
    (rule as FieldRule).match(field);
    const dt = performance.now() - t;
    total += dt;
    if (dt > 30) slow.push(`${rule.id}:${dt.toFixed(0)}ms`);
  }
  console.log(JSON.stringify(shape).padEnd(14), total.toFixed(0).padStart(6), 'ms', slow.join(' '));
}
