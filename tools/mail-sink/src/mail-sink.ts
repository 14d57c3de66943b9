import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One received message, as GET /api/messages shows it. */
export interface ReceivedMessage {
  id: string;
  /** Envelope sender and recipients (what the SMTP client said), then the parsed headers. */
  envelope: { from: string | null; to: string[] };
  from: string | null;
  to: string[];
  subject: string | null;
  text: string | null;
  html: string | null;
  date: string | null;
  receivedAt: string;
}

export interface MailSinkOptions {
  host?: string;
  /** 0 picks a free port (tests). */
  smtpPort: number;
  httpPort: number;
  /** Oldest messages are dropped past this many: a long-running dev sink must not grow forever. */
  maxMessages?: number;
}

export interface MailSink {
  smtpPort: number;
  httpPort: number;
  /** http://host:port of the JSON API. */
  url: string;
  messages(): ReceivedMessage[];
  clear(): void;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  if (!value) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((group) => group.value.map((entry) => entry.address ?? '').filter(Boolean));
}

function sendJson(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * A development SMTP server (no auth, no TLS: it listens on loopback and
 * delivers nowhere) that keeps what it receives, with a JSON API:
 *   GET    /api/messages         every message, newest last (?to=address filters)
 *   DELETE /api/messages         forget them all
 *   GET    /healthz              200 once both listeners are up
 */
export async function startMailSink(options: MailSinkOptions): Promise<MailSink> {
  const host = options.host ?? '127.0.0.1';
  const maxMessages = options.maxMessages ?? 1000;
  let stored: ReceivedMessage[] = [];

  const smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mailFrom = session.envelope.mailFrom;
          stored.push({
            id: randomUUID(),
            envelope: { from: mailFrom ? mailFrom.address : null, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
            from: addresses(parsed.from)[0] ?? null,
            to: addresses(parsed.to),
            subject: parsed.subject ?? null,
            text: parsed.text ?? null,
            html: typeof parsed.html === 'string' ? parsed.html : null,
            date: parsed.date ? parsed.date.toISOString() : null,
            receivedAt: new Date().toISOString(),
          });
          if (stored.length > maxMessages) stored = stored.slice(-maxMessages);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://sink');
    if (url.pathname === '/healthz' && request.method === 'GET') return sendJson(response, 200, { status: 'ok' });
    if (url.pathname !== '/api/messages') return sendJson(response, 404, { error: 'not found' });
    if (request.method === 'DELETE') {
      stored = [];
      return sendJson(response, 204);
    }
    if (request.method !== 'GET') return sendJson(response, 405, { error: 'GET or DELETE' });
    const to = url.searchParams.get('to')?.toLowerCase();
    return sendJson(response, 200, to ? stored.filter((message) => [...message.to, ...message.envelope.to].some((address) => address.toLowerCase() === to)) : stored);
  };
  const http: Server = createHttpServer(handle);

  const listen = (server: { listen: (port: number, host: string, done: () => void) => unknown; once: (event: 'error', listener: (error: Error) => void) => unknown }, port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
  await listen(smtp, options.smtpPort);
  try {
    await listen(http, options.httpPort);
  } catch (error) {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    throw error;
  }
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;

  return {
    smtpPort,
    httpPort,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${httpPort}`,
    messages: () => [...stored],
    clear: () => {
      stored = [];
    },
    async close() {
      http.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => http.close(() => resolve())), new Promise<void>((resolve) => smtp.close(() => resolve()))]);
    },
  };
}
