import { performance } from 'node:perf_hooks';
import { createWafEngine } from '../../src/index.js';
import { Field } from '../../src/request/field.js';
import type { FieldRule } from '../../src/rules/rule.js';
const engine = createWafEngine({ paranoiaLevel: 4 });
const triggers = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', 'a', '0', '$a', '{{', '${', '#{', '<%', '<a', '<!--', 'or', '1 or', ') ', 'on', 'alias', 'exec', 'select', 'union', 'from', 'while(', 'if', 'for', '|', 'http://', '/*', '--', 'java.lang', 'as', 'when'];
const fillers = [' ', '\n', '\r\n', '\t', '\u000b', ' \n'];
const N = 8192;
import { writeFileSync } from 'node:fs';
const kinds = ['arg', 'arg-name', 'header', 'path'] as const;
let worst = 0;
for (const p of triggers) for (const f of fillers) for (const shape of [p + f.repeat(N / f.length) + 'x', f.repeat(N / f.length) + p, (p + f + f).repeat(N / 8)]) for (const kind of kinds) {
  const field = new Field(kind, kind === 'path' ? 'path' : 'body', '/v', kind === 'path' ? `/${shape}` : shape);
  void field.lower; void field.decoded; void field.decodedLower; void field.mask;
  for (const rule of engine.rules) {
    if (rule.scope !== 'field' || !(rule as FieldRule).targets.includes(kind)) continue;
    writeFileSync('/tmp/waf/current.txt', `${JSON.stringify(shape.slice(0, 12))} ${kind} ${rule.id}`);
    const t = performance.now(); (rule as FieldRule).match(field); const dt = performance.now() - t;
    worst = Math.max(worst, dt);
    if (dt > 40) console.log(JSON.stringify(shape.slice(0, 12)), kind, rule.id, dt.toFixed(1));
  }
}
console.log('worst', worst.toFixed(1));
