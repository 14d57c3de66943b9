import { performance } from 'node:perf_hooks';
import { createWafEngine } from '../../src/index.js';
import { Field } from '../../src/request/field.js';
import type { FieldRule } from '../../src/rules/rule.js';
const engine = createWafEngine({ paranoiaLevel: 4 });
const [shape, kind, id] = [JSON.parse(`"${process.argv[2]}"`) as string, process.argv[3] as 'arg', process.argv[4]];
const rule = engine.rules.find((r) => r.id === id) as FieldRule;
for (const n of [4096, 8192, 16384, 32768, 65536]) {
  const value = shape.repeat(Math.ceil(n / shape.length)).slice(0, n);
  const f = new Field(kind, 'body', '/v', value);
  void f.lower; void f.decoded; void f.mask;
  const t = performance.now(); rule.match(f); console.log(n, (performance.now() - t).toFixed(1));
}
