import { performance } from 'node:perf_hooks';
import { createWafEngine } from '../../src/index.js';
import { Field } from '../../src/request/field.js';
import type { FieldRule } from '../../src/rules/rule.js';
const engine = createWafEngine({ paranoiaLevel: 4 });
const chars = [...' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\r\n\t', 'a', '0', 'x'];
const words = ['or', 'on', 'select', 'union', 'if', 'for', 'sh', 'cat', 'http://', 'from', 'as', 'exec', 'while', 'alias', '${', '#{', '<%', '{{', '/*', '\\u'];
const shapes: string[] = [];
for (const a of chars) { shapes.push(a); for (const b of chars) shapes.push(a + b); }
for (const w of words) for (const c of chars) { shapes.push(w + c); shapes.push(c + w); }
const kinds = ['arg', 'arg-name', 'header', 'path', 'file-name', 'cookie'] as const;
function time(rule: FieldRule, kind: typeof kinds[number], shape: string, n: number): number {
  const value = shape.repeat(Math.ceil(n / shape.length)).slice(0, n);
  const field = new Field(kind, kind === 'path' ? 'path' : 'body', '/v', kind === 'path' ? `/${value}` : value);
  void field.lower; void field.decoded; void field.decodedLower; void field.mask; void field.base64;
  const t = performance.now(); rule.match(field); return performance.now() - t;
}
for (const shape of shapes) for (const kind of kinds) for (const rule of engine.rules) {
  if (rule.scope !== 'field' || !(rule as FieldRule).targets.includes(kind)) continue;
  const small = time(rule as FieldRule, kind, shape, 4096);
  if (small < 0.5) continue;
  const big = time(rule as FieldRule, kind, shape, 32768);
  if (big > 20 && big / Math.max(small, 0.5) > 12) console.log('SUSPECT', JSON.stringify(shape), kind, rule.id, small.toFixed(1), big.toFixed(1));
}
console.log('scan done');
