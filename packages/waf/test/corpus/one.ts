import { performance } from 'node:perf_hooks';
import { detectSqli } from '../../src/detectors/sqli-detector.js';
for (const n of [2048, 4096, 8192]) {
  const v = ')' + '\r\n'.repeat(n / 2) + 'x';
  const t = performance.now(); detectSqli(v); console.log(n, (performance.now() - t).toFixed(1));
}
