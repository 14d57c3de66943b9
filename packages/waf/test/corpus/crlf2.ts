import { performance } from 'node:perf_hooks';
import { detectShell } from '../../src/detectors/shell-detector.js';
for (const n of [16384, 32768, 65536]) { const v = '\r\n'.repeat(n / 2); const t = performance.now(); detectShell(v); console.log(n, (performance.now() - t).toFixed(1)); }
