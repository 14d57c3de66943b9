import { performance } from 'node:perf_hooks';
import { detectShell } from '../../src/detectors/shell-detector.js';
import { detectSqli } from '../../src/detectors/sqli-detector.js';
import { detectXss } from '../../src/detectors/xss-detector.js';
for (const shape of ['${`', '\\u`', '`#{', '${[', '\\u!', ';a', 'a;', '`a', '(', '$(', "'", '<a ', 'or 1=1 ', '|&', '`', 'a b ']) {
  const out: string[] = [];
  for (const [name, fn] of [['shell', detectShell], ['sql', detectSqli], ['xss', detectXss]] as const) {
    const row: string[] = [];
    for (const n of [16384, 32768, 65536]) {
      const v = shape.repeat(Math.ceil(n / shape.length)).slice(0, n);
      fn(v); const t = performance.now(); fn(v); row.push((performance.now() - t).toFixed(1));
    }
    out.push(`${name} ${row.join('/')}`);
  }
  console.log(JSON.stringify(shape).padEnd(10), out.join('   '));
}
