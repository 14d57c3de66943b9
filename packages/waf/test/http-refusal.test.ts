import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyBytes, CORPUS_FILES, loadCorpus, nodeRefuses, type CorpusRecord } from './corpus/corpus-records.js';

/**
 * The record as bytes on the wire: request line, headers as given,
 * Content-Length computed when absent. No `Connection: close` is added: bytes
 * past a declared Content-Length are a second, pipelined request, and with
 * `close` llhttp would reject them instead.
 */
function rawRequest(record: CorpusRecord): Buffer {
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

/** The status of the first response on the connection, or 'none' when the server closed without one. */
function firstStatus(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const done = () => resolve(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 'none');
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (/^HTTP\/1\.[01] \d{3}/.test(data)) socket.destroy();
    });
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.setTimeout(2000, () => socket.destroy());
    socket.end(bytes);
  });
}

describe('HTTP-layer refusals in the corpus', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("R-WAF-4: the 'Node refuses this request' predicate agrees with Node's HTTP parser on every record", async () => {
    const disagreements: string[] = [];
    for (const file of CORPUS_FILES) {
      for (const record of loadCorpus(file)) {
        const status = await firstStatus(port, rawRequest(record));
        const refused = status === '400';
        // A request the server answered normally must not be predicted as refused, and vice versa.
        if (refused !== nodeRefuses(record)) disagreements.push(`${record.id}: server ${status}, predicate ${nodeRefuses(record) ? 'refuses' : 'accepts'}`);
      }
    }
    expect(disagreements).toEqual([]);
  }, 120_000);
});
