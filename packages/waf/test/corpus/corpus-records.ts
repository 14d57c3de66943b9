import { bodyBytes, type WafCorpusRecord } from '@bursary/testing';
import type { WafRequest } from '../../src/index.js';

/**
 * The WafRequest the gateway would build for this record: header names in
 * lower case, the body as Node delivers it (cut at Content-Length when the
 * record sends more, the rest being another request on the connection).
 */
export function toWafRequest(record: WafCorpusRecord): WafRequest {
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
