import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

export interface FakeUpstream {
  name: string;
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  connections: number;
  /** Requests whose response was cut off because the other side went away. */
  aborted: number;
  handle(handler: UpstreamHandler): void;
  close(): Promise<void>;
}

/** The default answer: which upstream saw what, as JSON. */
const echo = (name: string): UpstreamHandler => (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name });
  res.end(JSON.stringify({ upstream: name, method: req.method, url: req.url }));
};

/** A real HTTP service on port 0 that records what the gateway sent it. */
export async function startFakeUpstream(name: string): Promise<FakeUpstream> {
  let handler = echo(name);
  const upstream: Omit<FakeUpstream, 'url' | 'port'> & { url?: string; port?: number } = {
    name,
    requests: [],
    connections: 0,
    aborted: 0,
    handle: (next) => void (handler = next),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      upstream.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body });
      handler(req, res, body);
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.aborted++;
    });
  });
  server.on('connection', () => upstream.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(upstream, { port, url: `http://127.0.0.1:${port}` }) as FakeUpstream;
}

/** An origin nothing listens on: connections to it are refused. */
export async function refusedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
