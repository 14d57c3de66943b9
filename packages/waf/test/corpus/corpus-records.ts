import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { METHODS } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { WafRequest } from '../../src/index.js';

/** `../shared/waf-corpus` beside the repository (tests may read it; the package never does). */
export const CORPUS_DIR = fileURLToPath(new URL('../../../../../shared/waf-corpus/', import.meta.url));

export const CORPUS_FILES = ['crs-attacks', 'handmade-attacks', 'crs-benign', 'benign-golden'] as const;
export type CorpusFile = (typeof CORPUS_FILES)[number];

export interface CorpusRecord {
  id: string;
  file: CorpusFile;
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

export function loadCorpus(file: CorpusFile): CorpusRecord[] {
  return readFileSync(`${CORPUS_DIR}${file}.jsonl`, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => ({ ...(JSON.parse(line) as Omit<CorpusRecord, 'file'>), file }));
}

/**
 * The held-out 30% of the CRS attack records: chosen by a hash of the record
 * id (stable across runs and machines), never used while writing rules, and
 * reported on its own to show the rules generalize.
 */
export function isHeldOut(id: string): boolean {
  return createHash('sha256').update(`waf-holdout:${id}`).digest()[0]! < 77; // 77/256 ≈ 30%
}

/** Records in scope for the targets: `paranoia_level` ≤ 2 where the field exists (README "Things to know"). */
export function inScope(record: CorpusRecord, maxParanoia = 2): boolean {
  return record.paranoia_level === undefined || record.paranoia_level <= maxParanoia;
}

function headerValue(record: CorpusRecord, name: string): string | undefined {
  const key = Object.keys(record.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : record.headers[key];
}

export function bodyBytes(record: CorpusRecord): Buffer | undefined {
  if (record.body === null) return undefined;
  return record.body_encoding === 'base64' ? Buffer.from(record.body, 'base64') : Buffer.from(record.body, 'utf8');
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Would Node's HTTP parser (llhttp, strict mode, as Fastify runs it) answer
 * 400 before any application code runs? Decided from the record's raw
 * fields only; `http-refusal.test.ts` checks every answer against a real
 * Node server, so this stays honest.
 */
export function nodeRefuses(record: CorpusRecord): boolean {
  // llhttp knows a fixed set of methods, case-sensitive, with nothing before them.
  if (!METHODS.includes(record.method)) return true;
  const version = record.http_version ?? 'HTTP/1.1';
  if (!/^HTTP\/1\.[01]$/.test(version)) return true;
  // The request target: visible ASCII only (no space, control or non-ASCII byte).
  if (!/^[\x21-\x7e]+$/.test(record.uri)) return true;
  for (const [name, value] of Object.entries(record.headers)) {
    if (!TOKEN.test(name)) return true;
    // CR and LF would start a new header line when sent; other controls are refused.
    if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(value)) return true;
  }
  const length = headerValue(record, 'content-length');
  if (length !== undefined && !/^\d+$/.test(length.trim())) return true;
  const encoding = headerValue(record, 'transfer-encoding');
  if (encoding !== undefined && (length !== undefined || !/^chunked$/i.test(encoding.trim()))) return true;
  return false;
}

/**
 * The WafRequest the gateway would build for this record: header names in
 * lower case, the body as Node delivers it (cut at Content-Length when the
 * record sends more, the rest being another request on the connection).
 */
export function toWafRequest(record: CorpusRecord): WafRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  let body = bodyBytes(record);
  if (body !== undefined && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) headers['content-length'] = String(body.length);
  const declared = Number(headers['content-length']);
  if (body !== undefined && Number.isInteger(declared) && declared < body.length) body = body.subarray(0, declared);
  const version = record.http_version === undefined ? '1.1' : record.http_version === '' ? '0.9' : record.http_version.replace(/^HTTP\//, '');
  return { method: record.method, url: record.uri, headers, body, remoteAddress: '203.0.113.10', httpVersion: version };
}
