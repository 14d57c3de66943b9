import { beforeAll, describe, expect, it } from 'vitest';
import { createWafEngine, type WafVerdict } from '../src/index.js';
import { inScope, isHeldOut, loadWafCorpus, nodeRefuses, WAF_CORPUS_FILES, type WafCorpusRecord } from '@bursary/testing';
import { toWafRequest } from './corpus/corpus-records.js';

interface Outcome {
  record: WafCorpusRecord;
  /** Node's HTTP parser answers 400 before the application (and the WAF) sees the request. */
  refusedByHttp: boolean;
  verdict: WafVerdict;
  /** Would be refused in `block` mode: by the HTTP layer or by the WAF. */
  blocked: boolean;
}

interface Row {
  file: string;
  category: string;
  records: number;
  detected: number;
  http400: number;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

function table(rows: Row[]): string {
  const header = ['file', 'category', 'records', 'detected', 'of which HTTP 400', '%'];
  const lines = rows.map((r) => [r.file, r.category, String(r.records), String(r.detected), String(r.http400), percent(r.detected, r.records)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}

function summarize(outcomes: Outcome[]): Row[] {
  const rows = new Map<string, Row>();
  for (const o of outcomes) {
    const key = `${o.record.file}\u0000${o.record.category}`;
    const row = rows.get(key) ?? { file: o.record.file, category: o.record.category, records: 0, detected: 0, http400: 0 };
    row.records++;
    if (o.blocked) row.detected++;
    if (o.refusedByHttp) row.http400++;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.file.localeCompare(b.file) || a.category.localeCompare(b.category));
}

describe('WAF corpus (../shared/waf-corpus)', () => {
  // Default settings, no route exclusions: the benign corpus must pass without help.
  const engine = createWafEngine();
  const outcomes: Outcome[] = [];

  beforeAll(() => {
    for (const file of WAF_CORPUS_FILES) {
      for (const record of loadWafCorpus(file)) {
        // Targets cover paranoia level ≤ 2; benign records are all kept (a
        // false positive is one whatever the rule it was written against).
        if (record.expect === 'block' && !inScope(record)) continue;
        const refusedByHttp = nodeRefuses(record);
        const verdict = engine.inspect(toWafRequest(record));
        outcomes.push({ record, refusedByHttp, verdict, blocked: refusedByHttp || verdict.attack });
      }
    }
    const attacks = outcomes.filter((o) => o.record.expect === 'block');
    const heldOut = attacks.filter((o) => o.record.file === 'crs-attacks' && isHeldOut(o.record.id));
    const development = attacks.filter((o) => o.record.file === 'crs-attacks' && !isHeldOut(o.record.id));
    const count = (list: Outcome[]) => list.filter((o) => o.blocked).length;
    const benign = outcomes.filter((o) => o.record.expect === 'allow');
    console.log(
      [
        `WAF corpus at paranoia level ${engine.paranoiaLevel}, inbound threshold ${engine.inboundThreshold}:`,
        table(summarize(outcomes)),
        `attacks (PL <= 2): ${count(attacks)}/${attacks.length} = ${percent(count(attacks), attacks.length)}`,
        `  CRS development 70%: ${count(development)}/${development.length} = ${percent(count(development), development.length)}`,
        `  CRS held-out 30%:    ${count(heldOut)}/${heldOut.length} = ${percent(count(heldOut), heldOut.length)}`,
        `  refused by the HTTP parser (400): ${attacks.filter((o) => o.refusedByHttp).length}`,
        `false positives: ${benign.filter((o) => o.blocked).length}/${benign.length}`,
      ].join('\n'),
    );
  });

  it('R-WAF-4: detects at least 97% of the in-scope attack records', () => {
    const attacks = outcomes.filter((o) => o.record.expect === 'block');
    const detected = attacks.filter((o) => o.blocked).length;
    expect(detected / attacks.length).toBeGreaterThanOrEqual(0.97);
  });

  it('R-WAF-4: detects at least 95% of handmade-attacks.jsonl', () => {
    const handmade = outcomes.filter((o) => o.record.file === 'handmade-attacks');
    expect(handmade.length).toBe(44);
    expect(handmade.filter((o) => o.blocked).length / handmade.length).toBeGreaterThanOrEqual(0.95);
  });

  it('R-WAF-4: has no false positive on benign-golden.jsonl and crs-benign.jsonl', () => {
    const falsePositives = outcomes
      .filter((o) => o.record.expect === 'allow' && o.blocked)
      .map((o) => `${o.record.id}: ${o.verdict.matches.map((m) => `${m.ruleId}@${m.field}`).join(', ')}`);
    expect(falsePositives).toEqual([]);
  });

  it('R-WAF-4: never puts a matched value in a verdict, only rule ids and field names', () => {
    for (const o of outcomes) {
      for (const match of o.verdict.matches) {
        expect(Object.keys(match).sort()).toEqual(['category', 'field', 'paranoiaLevel', 'ruleId', 'score', 'severity']);
        expect(match.field).toMatch(/^(?:(?:path|query|body|cookie|header):\/|method$|request-line$|url$|body$)/);
      }
    }
  });
});
