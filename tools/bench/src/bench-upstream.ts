// The upstream of the proxy benchmark (gateway-bench.ts): a plain node:http
// server in its own process that answers every request with the same small
// JSON page, so that the proxies in front of it are what is compared.
// Prints its port on stdout once listening.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({
  items: Array.from({ length: 5 }, (_, i) => ({ id: `s-${i}`, title: `Scholarship ${i}`, amount: 1000 * (i + 1), currency: 'USD', deadline: '2026-12-31' })),
  page: 1,
  total: 5,
});

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
