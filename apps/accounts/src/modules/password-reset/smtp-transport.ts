import nodemailer from 'nodemailer';
import type { MailTransport } from './reset-mailer.js';

export interface SmtpOptions {
  host: string;
  port: number;
  /** none: plain (development mail sink); starttls: upgrade required; tls: implicit TLS. */
  security: 'none' | 'starttls' | 'tls';
  user?: string | undefined;
  password?: string | undefined;
}

/** nodemailer over SMTP. Timeouts are short: a hung server fails the delivery, which the consumer retries with backoff. */
export function createSmtpTransport(options: SmtpOptions): MailTransport {
  const transporter = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.security === 'tls',
    requireTLS: options.security === 'starttls',
    ignoreTLS: options.security === 'none',
    ...(options.user ? { auth: { user: options.user, pass: options.password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return { sendMail: (message) => transporter.sendMail(message) };
}
