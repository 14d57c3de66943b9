import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { METHODS } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * `../shared/waf-corpus` beside the repository: the WAF's request corpus
 * (README.md there). Read by the engine's tests (packages/waf) and by the
 * end-to-end suite that replays it through the running gateway (tests/security).
 * From src/ and dist/ alike the repository root is three levels up.
 */
export const WAF_CORPUS_DIR = fileURLToPath(new URL('../../../../shared/waf-corpus/', import.meta.url));

export const WAF_CORPUS_FILES = ['crs-attacks', 'handmade-attacks', 'crs-benign', 'benign-golden'] as const;
export type WafCorpusFile = (typeof WAF_CORPUS_FILES)[number];

export interface WafCorpusRecord {
  id: string;
  file: WafCorpusFile;
  category: string;
  method: string;
  uri: string;
  headers: Record<string, string>;
  body: string | null;
  body_encoding?: string;
  expect: 'block' | 'allow';
  http_version?: string;
  paranoia_level?: number;
  crs_assertion?: string;
  raw_request_b64?: string;
}

export function loadWafCorpus(file: WafCorpusFile): WafCorpusRecord[] {
  return readFileSync(`${WAF_CORPUS_DIR}${file}.jsonl`, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => ({ ...(JSON.parse(line) as Omit<WafCorpusRecord, 'file'>), file }));
}

/**
 * The held-out 30% of the CRS attack records: chosen by a hash of the record
 * id (stable across runs and machines), never used while writing rules, and
 * reported on its own to show the rules generalize.
 */
export function isHeldOut(id: string): boolean {
  return createHash('sha256').update(`waf-holdout:${id}`).digest()[0]! < 77; // 77/256 ≈ 30%
}

/** Records in scope for the targets: `paranoia_level` ≤ 2 where the field exists (corpus README, "Things to know"). */
export function inScope(record: WafCorpusRecord, maxParanoia = 2): boolean {
  return record.paranoia_level === undefined || record.paranoia_level <= maxParanoia;
}

function headerValue(record: WafCorpusRecord, name: string): string | undefined {
  const key = Object.keys(record.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : record.headers[key];
}

export function bodyBytes(record: WafCorpusRecord): Buffer | undefined {
  if (record.body === null) return undefined;
  return record.body_encoding === 'base64' ? Buffer.from(record.body, 'base64') : Buffer.from(record.body, 'utf8');
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Would Node's HTTP parser (llhttp, strict mode, as Fastify runs it) answer
 * 400 before any application code runs? Decided from the record's raw
 * fields only; packages/waf's `http-refusal.test.ts` checks every answer
 * against a real Node server, so this stays honest.
 */
export function nodeRefuses(record: WafCorpusRecord): boolean {
  // llhttp knows a fixed set of methods, case-sensitive, with nothing before them.
  if (!METHODS.includes(record.method)) return true;
  const version = record.http_version ?? 'HTTP/1.1';
  if (!/^HTTP\/1\.[01]$/.test(version)) return true;
  // The request target: visible ASCII only (no space, control or non-ASCII byte).
  if (!/^[\x21-\x7e]+$/.test(record.uri)) return true;
  for (const [name, value] of Object.entries(record.headers)) {
    if (!TOKEN.test(name)) return true;
    // CR and LF would start a new header line when sent; other controls are refused.
    // eslint-disable-next-line no-control-regex -- the control characters are what is looked for
    if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(value)) return true;
  }
  const length = headerValue(record, 'content-length');
  if (length !== undefined && !/^\d+$/.test(length.trim())) return true;
  const encoding = headerValue(record, 'transfer-encoding');
  if (encoding !== undefined && (length !== undefined || !/^chunked$/i.test(encoding.trim()))) return true;
  return false;
}

/**
 * The record as bytes on the wire: request line, headers as given,
 * Content-Length computed when absent, or the test's own raw bytes. No
 * `Connection: close` is added: bytes past a declared Content-Length are a
 * second, pipelined request, and with `close` llhttp would reject them instead.
 */
export function rawCorpusRequest(record: WafCorpusRecord): Buffer {
  if (record.raw_request_b64 !== undefined) return Buffer.from(record.raw_request_b64, 'base64');
  const body = bodyBytes(record);
  const version = record.http_version ?? 'HTTP/1.1';
  const names = Object.keys(record.headers).map((name) => name.toLowerCase());
  let head = `${record.method} ${record.uri}${version === '' ? '' : ` ${version}`}\r\n`;
  for (const [name, value] of Object.entries(record.headers)) head += `${name}: ${value}\r\n`;
  if (body !== undefined && !names.includes('content-length') && !names.includes('transfer-encoding')) head += `Content-Length: ${body.length}\r\n`;
  head += '\r\n';
  return body === undefined ? Buffer.from(head, 'utf8') : Buffer.concat([Buffer.from(head, 'utf8'), body]);
}
