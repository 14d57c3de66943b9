// Development helper (not a test): prints misses and false positives.
import { createWafEngine } from '../../src/index.js';
import { inScope, isHeldOut, loadWafCorpus, nodeRefuses } from '@bursary/testing';
import { toWafRequest } from './corpus-records.js';

const engine = createWafEngine({ paranoiaLevel: Number(process.env['PL'] ?? 2) as 1 | 2 });
const show = process.argv[2] ?? 'summary';
const stats = new Map<string, { n: number; d: number }>();
for (const file of ['crs-attacks', 'handmade-attacks', 'crs-benign', 'benign-golden'] as const) {
  for (const record of loadWafCorpus(file)) {
    if (!inScope(record, file.includes('benign') ? 4 : 2)) continue;
    const refused = nodeRefuses(record);
    const verdict = engine.inspect(toWafRequest(record));
    const blocked = refused || verdict.attack;
    const held = file === 'crs-attacks' && isHeldOut(record.id);
    const key = `${file}${held ? '(held-out)' : ''}:${record.category}`;
    const s = stats.get(key) ?? { n: 0, d: 0 };
    s.n++;
    if (blocked) s.d++;
    stats.set(key, s);
    const attack = record.expect === 'block';
    if (attack && !blocked && !held && (show === 'miss' || show === record.category)) console.log('MISS', record.id, record.paranoia_level ?? '', JSON.stringify(record.method), record.uri.slice(0, 120), (record.body ?? '').slice(0, 120).replace(/\n/g, '\\n'), verdict.matches.map((m) => m.ruleId).join(','));
    if (!attack && verdict.matches.length > 0 && (show === 'fp' || show === 'miss')) console.log(blocked ? 'FP  ' : 'low ', record.id, record.uri.slice(0, 80), verdict.matches.map((m) => `${m.ruleId}@${m.field}`).join(','));
  }
}
let total = 0, det = 0, hn = 0, hd = 0;
for (const [k, s] of [...stats].sort()) {
  console.log(k.padEnd(30), s.n, s.d, ((100 * s.d) / s.n).toFixed(1));
  if (!k.includes('benign')) { total += s.n; det += s.d; }
  if (k.includes('held-out')) { hn += s.n; hd += s.d; }
}
console.log('attacks', total, det, ((100 * det) / total).toFixed(2), 'held-out', hn, hd, ((100 * hd) / hn).toFixed(2));
