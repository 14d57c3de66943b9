import { performance } from 'node:perf_hooks';
import { createWafEngine } from '../../src/index.js';
import { Field } from '../../src/request/field.js';
import type { FieldRule } from '../../src/rules/rule.js';
const engine = createWafEngine({ paranoiaLevel: 4 });
const chars = [...' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\r\n\t', 'a', '0', 'x', 'é'];
const words = ['or', 'on', 'select', 'union', 'and', 'if', 'for', 'in', 'sh', 'cat', 'php', 'java.', 'http://', '0x', 'from', 'as', 'exec', 'while', 'alias', 'proto'];
const shapes: string[] = [];
for (const a of chars) { shapes.push(a); for (const b of chars) shapes.push(a + b); }
for (const w of words) for (const c of chars) { shapes.push(w + c); shapes.push(c + w); }
const N = Number(process.env['N'] ?? 8192);
const kinds = ['arg', 'arg-name', 'header', 'path', 'file-name', 'cookie'] as const;
let worst = 0;
for (const shape of shapes) {
  const value = shape.repeat(Math.ceil(N / shape.length)).slice(0, N);
  for (const kind of kinds) {
    const field = new Field(kind, kind === 'path' ? 'path' : 'body', '/v', kind === 'path' ? `/${value}` : value);
    for (const rule of engine.rules) {
      if (rule.scope !== 'field' || !(rule as FieldRule).targets.includes(kind)) continue;
      const t = performance.now();
      (rule as FieldRule).match(field);
      const dt = performance.now() - t;
      worst = Math.max(worst, dt);
      if (dt > 15) console.log(JSON.stringify(shape), kind, rule.id, dt.toFixed(1), 'ms');
    }
  }
}
console.log('worst', worst.toFixed(1));
