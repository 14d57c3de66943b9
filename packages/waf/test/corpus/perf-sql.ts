import { performance } from 'node:perf_hooks';
import { detectSqli } from '../../src/detectors/sqli-detector.js';
import { tokenizeSql } from '../../src/detectors/sql-tokenizer.js';
const s = "Open to students who use SQL, Python or R. Select the essay prompt that fits you best, then update your profile and insert a short bio (max 300 words). Note: union membership is not required; drop-in info sessions run weekly.";
for (let k = 0; k < 3; k++) {
  let t = performance.now(); for (let i = 0; i < 20000; i++) tokenizeSql(s, ''); console.log('tok', ((performance.now() - t) / 20).toFixed(1));
  t = performance.now(); for (let i = 0; i < 20000; i++) detectSqli(s); console.log('detect', ((performance.now() - t) / 20).toFixed(1));
}
