import { connect } from 'node:net';
import { inScope, loadWafCorpus, rawCorpusRequest, WAF_CORPUS_FILES, type WafCorpusRecord } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeValue, startStack, type Stack } from '../support/stack.js';

/**
 * R-WAF-4 through the running gateway: every record of ../shared/waf-corpus
 * (attacks with paranoia_level ≤ 2, every benign record) is sent as the raw
 * bytes of a real HTTP request, over its own connection, to the gateway of
 * the full platform. Malformed requests go out verbatim, so what Node's HTTP
 * parser refuses is refused here too.
 *
 * How detection is observed: the gateway runs with the live setting
 * `waf.mode=block` (put in its runtime bucket, as an operator would), so a
 * detection is a 403 WAF_BLOCKED for every method. In the default
 * `by-method` mode the same detections on GET/HEAD are logged and counted
 * instead of refused (apps/gateway/test/waf.test.ts proves that split); the
 * engine and its verdict are the same in both modes, only the action differs.
 *
 * What counts as blocked, per record, from the first response:
 * - `waf`: 403 WAF_BLOCKED or 413 WAF_BODY_TOO_LARGE;
 * - `http`: a 4xx of the HTTP layer before any hook runs: Node's parser
 *   (malformed request line, framing, Content-Length; the problem+json of
 *   the client-error handler) or the router (an undecodable path);
 * - `host`: the Host checks in front of the WAF (missing, empty, malformed
 *   or duplicated Host; the test profile lets any well-formed name through).
 * Anything else (404, 401, 405, 200…) passed the edge. A benign record is a
 * false positive when it is refused in any of these ways.
 */

type Outcome = 'waf' | 'http' | 'host' | 'passed' | 'no-response';

interface Result {
  record: WafCorpusRecord;
  status: number;
  code: string | undefined;
  outcome: Outcome;
}

/** Codes of refusals made before the WAF by the HTTP layer: Node's parser and the router. */
const HTTP_LAYER_CODES = new Set(['BAD_REQUEST', 'BAD_URL_ENCODING', 'URI_TOO_LONG', 'HEADERS_TOO_LARGE']);
const HOST_CODES = new Set(['HOST_MISSING', 'HOST_NOT_ALLOWED']);
const CONCURRENCY = 6;

function classify(method: string, status: number, code: string | undefined): Outcome {
  if ((status === 403 && code === 'WAF_BLOCKED') || (status === 413 && code === 'WAF_BODY_TOO_LARGE')) return 'waf';
  // A HEAD answer has no body to carry the code; nothing else answers 403 to a request without a token.
  if (method === 'HEAD' && status === 403) return 'waf';
  if (status >= 400 && status < 500 && code !== undefined && HTTP_LAYER_CODES.has(code)) return 'http';
  if (status === 400 && code !== undefined && HOST_CODES.has(code)) return 'host';
  return status === 0 ? 'no-response' : 'passed';
}

/** Sends the bytes on a fresh connection and reads the first response: status and problem code. */
function exchange(port: number, bytes: Buffer): Promise<{ status: number; code: string | undefined }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const text = data.toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const code = /"code":"([A-Z0-9_]+)"/.exec(text)?.[1];
      resolve({ status, code });
    };
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const text = data.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
      // The first response is complete (its body is all the code needs); a HEAD answer has no body.
      if (length === null || data.length - end - 4 >= Number(length[1]) || /^HEAD /.test(bytes.toString('latin1', 0, 5))) finish();
    });
    socket.on('close', finish);
    socket.on('error', () => undefined);
    // A record that declares more body than it sends waits for the rest: no answer is not a refusal.
    socket.setTimeout(5_000, finish);
    socket.write(bytes);
  });
}

async function replay(port: number, records: WafCorpusRecord[]): Promise<Result[]> {
  const results: Result[] = new Array(records.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < records.length; index = next++) {
      const record = records[index]!;
      const { status, code } = await exchange(port, rawCorpusRequest(record));
      results[index] = { record, status, code, outcome: classify(record.method, status, code) };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

/** The string values (not the keys) of a JSON document. */
function jsonStrings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(jsonStrings);
  if (node !== null && typeof node === 'object') return Object.values(node).flatMap(jsonStrings);
  return [];
}

const blocked = (r: Result) => r.outcome === 'waf' || r.outcome === 'http' || r.outcome === 'host';
const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

function table(results: Result[]): string {
  const rows = new Map<string, Result[]>();
  for (const r of results) {
    const key = `${r.record.file}\u0000${r.record.category}`;
    rows.set(key, [...(rows.get(key) ?? []), r]);
  }
  const header = ['file', 'category', 'records', 'detected', '%', 'false pos.', 'by WAF', 'by HTTP 4xx', 'by Host 400'];
  const lines = [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => {
      const [file, category] = key.split('\u0000') as [string, string];
      const attack = list[0]!.record.expect === 'block';
      const refused = list.filter(blocked).length;
      const count = (outcome: Outcome) => String(list.filter((r) => r.outcome === outcome).length);
      return [file, category, String(list.length), attack ? String(refused) : '-', attack ? percent(refused, list.length) : '-', attack ? '-' : String(refused), count('waf'), count('http'), count('host')];
    });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}

describe('R-WAF-4: the WAF corpus through the running gateway', () => {
  let stack: Stack;
  let results: Result[] = [];

  beforeAll(async () => {
    stack = await startStack({
      // Thousands of requests from one address: the limiter is not under test here.
      RATE_LIMIT_EXEMPT: '127.0.0.1,::1',
      // The records carry Host names of their own; the test profile's
      // allowance lets any well-formed one reach the WAF (R-HOST-3).
      ALLOWED_HOSTS_TEST_BYPASS: 'true',
    });
    const probe = `/v1/scholarships?sort=${encodeURIComponent("1' UNION SELECT password FROM users--")}`;
    await setRuntimeValue(stack, 'waf.mode', 'block', async () => (await fetch(`${stack.gateway.url}${probe}`)).status === 403);

    const records = WAF_CORPUS_FILES.flatMap((file) => loadWafCorpus(file)).filter((record) => record.expect === 'allow' || inScope(record));
    const started = Date.now();
    results = await replay(stack.gateway.port, records);
    const attacks = results.filter((r) => r.record.expect === 'block');
    const handmade = results.filter((r) => r.record.file === 'handmade-attacks');
    const benign = results.filter((r) => r.record.expect === 'allow');
    const tally = (list: Result[]) => `${list.filter(blocked).length}/${list.length} = ${percent(list.filter(blocked).length, list.length)}`;
    console.log(
      [
        `WAF corpus through the gateway (waf.mode=block, paranoia level 2, threshold 5), ${results.length} requests in ${((Date.now() - started) / 1000).toFixed(1)} s:`,
        table(results),
        `attacks detected (PL <= 2): ${tally(attacks)}`,
        `  of which by the WAF: ${attacks.filter((r) => r.outcome === 'waf').length}, by the HTTP layer: ${attacks.filter((r) => r.outcome === 'http').length}, by the Host checks: ${attacks.filter((r) => r.outcome === 'host').length}`,
        `handmade attacks detected: ${tally(handmade)}`,
        `false positives: ${benign.filter(blocked).length}/${benign.length}`,
        `no response within 5 s (not counted as detected): ${results.filter((r) => r.outcome === 'no-response').length}`,
      ].join('\n'),
    );
    const missed = attacks.filter((r) => !blocked(r)).map((r) => `${r.record.id} → ${r.status} ${r.code ?? ''}`);
    if (missed.length > 0) console.log(`missed: ${missed.join(', ')}`);
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('R-WAF-4: at least 97% of the attack records (paranoia level ≤ 2) are refused', () => {
    const attacks = results.filter((r) => r.record.expect === 'block');
    expect(attacks.length).toBeGreaterThan(1600);
    expect(attacks.filter(blocked).length / attacks.length).toBeGreaterThanOrEqual(0.97);
  });

  it('R-WAF-4: at least 95% of handmade-attacks.jsonl is refused', () => {
    const handmade = results.filter((r) => r.record.file === 'handmade-attacks');
    expect(handmade).toHaveLength(44);
    expect(handmade.filter(blocked).length / handmade.length).toBeGreaterThanOrEqual(0.95);
  });

  it('R-WAF-4: no record of benign-golden.jsonl or crs-benign.jsonl is refused', () => {
    const falsePositives = results.filter((r) => r.record.expect === 'allow' && blocked(r)).map((r) => `${r.record.id} → ${r.status} ${r.code}`);
    expect(results.filter((r) => r.record.file === 'benign-golden')).toHaveLength(80);
    expect(falsePositives).toEqual([]);
  });

  it('R-WAF-2: every refusal is counted on the metrics port: waf_detections_total{mode="block",action="blocked"}', async () => {
    const text = await (await fetch(`http://127.0.0.1:${stack.gateway.metricsPort}/metrics`)).text();
    const series = text.split('\n').filter((line) => line.startsWith('waf_detections_total{') && line.includes('mode="block"') && line.includes('action="blocked"'));
    const rules = new Set(series.map((line) => /rule="([A-Z0-9_]+)"/.exec(line)?.[1]));
    // One series per rule: the counter names rules, never payloads.
    expect(rules.size).toBeGreaterThan(50);
    for (const rule of rules) expect(rule).toMatch(/^WAF_[A-Z]+_(?:\d{3}|TOO_LARGE)$/);
    const counted = series.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    // Each refused request counts each rule it matched: at least one per refusal.
    expect(counted).toBeGreaterThanOrEqual(results.filter((r) => r.outcome === 'waf').length);
  });

  it('R-WAF-1: WAF log lines carry rule ids, scores and field names, never a matched value', () => {
    const wafLines = stack.gateway.logs
      .map((line) => {
        try {
          return JSON.parse(line) as { waf?: { matches?: Array<Record<string, unknown>> } };
        } catch {
          return {};
        }
      })
      .filter((entry) => entry.waf?.matches !== undefined);
    expect(wafLines.length).toBeGreaterThan(1000);
    for (const entry of wafLines) {
      for (const match of entry.waf!.matches!) expect(Object.keys(match).sort()).toEqual(['field', 'rule', 'score']);
    }
    // The string values of the handmade JSON attacks that were refused appear in no WAF line.
    const text = stack.gateway.logs.filter((line) => line.includes('"waf"')).join('\n');
    const values = results
      .filter((r) => r.record.file === 'handmade-attacks' && r.outcome === 'waf' && r.record.body?.startsWith('{'))
      .flatMap((r) => jsonStrings(JSON.parse(r.record.body!)))
      .filter((value) => value.length >= 12);
    expect(values.length).toBeGreaterThan(5);
    for (const value of values) expect(text).not.toContain(JSON.stringify(value).slice(1, -1));
  });
});
