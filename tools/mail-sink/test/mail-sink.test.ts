import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink, type ReceivedMessage } from '../src/index.js';

describe('mail sink', () => {
  let sink: MailSink;
  beforeAll(async () => {
    sink = await startMailSink({ smtpPort: 0, httpPort: 0 });
  });
  afterAll(async () => {
    await sink?.close();
  });

  const send = (to: string, subject: string) =>
    nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true }).sendMail({ from: 'Bursary <no-reply@bursary.local>', to, subject, text: `hello ${to}`, html: `<p>hello ${to}</p>` });

  it('R-ID-1: keeps what it receives over SMTP and lists it as JSON at /api/messages', async () => {
    await send('ada@example.com', 'first');
    await send('grace@example.com', 'second');
    const response = await fetch(`${sink.url}/api/messages`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const messages = (await response.json()) as ReceivedMessage[];
    expect(messages.map((message) => message.subject)).toEqual(['first', 'second']);
    expect(messages[0]).toMatchObject({ from: 'no-reply@bursary.local', to: ['ada@example.com'], envelope: { to: ['ada@example.com'] }, text: 'hello ada@example.com' });
    expect(messages[0]!.html).toContain('<p>hello ada@example.com</p>');

    const filtered = (await (await fetch(`${sink.url}/api/messages?to=GRACE@example.com`)).json()) as ReceivedMessage[];
    expect(filtered.map((message) => message.subject)).toEqual(['second']);
  });

  it('R-ID-1: DELETE /api/messages clears the store; /healthz answers; other paths are 404', async () => {
    await send('ada@example.com', 'to be cleared');
    expect((await fetch(`${sink.url}/api/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(await (await fetch(`${sink.url}/api/messages`)).json()).toEqual([]);
    expect((await fetch(`${sink.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${sink.url}/nope`)).status).toBe(404);
    expect((await fetch(`${sink.url}/api/messages`, { method: 'PUT' })).status).toBe(405);
  });
});
