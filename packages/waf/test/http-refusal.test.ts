import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWafCorpus, nodeRefuses, rawCorpusRequest, WAF_CORPUS_FILES } from '@bursary/testing';

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
    for (const file of WAF_CORPUS_FILES) {
      for (const record of loadWafCorpus(file)) {
        const status = await firstStatus(port, rawCorpusRequest(record));
        const refused = status === '400';
        // A request the server answered normally must not be predicted as refused, and vice versa.
        if (refused !== nodeRefuses(record)) disagreements.push(`${record.id}: server ${status}, predicate ${nodeRefuses(record) ? 'refuses' : 'accepts'}`);
      }
    }
    expect(disagreements).toEqual([]);
  }, 120_000);
});
