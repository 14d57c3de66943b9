import { detectSqli } from '../../src/detectors/sqli-detector.js';
import { tokenizeSql } from '../../src/detectors/sql-tokenizer.js';
for (const s of process.argv.slice(2)) {
  console.log(JSON.stringify(s), [...detectSqli(s)]);
  for (const p of ['', "'", '"'] as const) console.log('  ', JSON.stringify(p), tokenizeSql(s, p).map((t) => t.type + (t.type === 's' ? (t.closed ? 'c' : 'o') : '') + ':' + t.value).join(' '));
}
