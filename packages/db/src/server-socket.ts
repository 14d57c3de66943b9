import { isIP, Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type TLSSocket } from 'node:tls';
import { DatabaseTlsError, describeTlsFailure, TlsFailureReason } from './database-tls-error.js';

export interface ServerAddress {
  host: string;
  port: number;
}

export interface OpenSocketOptions extends ServerAddress {
  /** PEM CA bundle to verify the server against; absent: a plain TCP socket (DATABASE_TLS=disable). */
  ca?: Buffer | string;
  /**
   * false only for the certificate check, which must read an expired or
   * foreign certificate to report on it; the session is never used for queries.
   */
  rejectUnauthorized?: boolean;
  timeoutMs: number;
}

/** SSLRequest: length 8, then the magic code 80877103 (PostgreSQL protocol, "SSL Session Encryption"). */
const SSL_REQUEST = Buffer.from([0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f]);
const SSL_YES = 0x53; // 'S'
const SSL_NO = 0x4e; // 'N'

/** The network-level failures worth another attempt a moment later (a restarting or unreachable server). */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED']);

export function isTransientConnectError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

class ConnectError extends Error {
  override readonly name = 'DatabaseConnectError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * Opens a socket to a PostgreSQL server, ready for the startup message. With
 * a CA it first sends the 8-byte SSLRequest, requires the one-byte answer 'S'
 * and then upgrades to TLS ≥ 1.2 with verify-full semantics: chain to the given
 * CA and the certificate's names checked against `host` (R-DB-1).
 *
 * The hostname is checked against `host` explicitly: when a socket is handed
 * to tls.connect without `host`/`servername` (postgres.js does this for IP
 * addresses), Node checks the certificate against "localhost" instead.
 */
export function openServerSocket(options: OpenSocketOptions): Promise<Socket | TLSSocket> {
  const { host, port } = options;
  const server = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    const raw = new Socket();
    let secure: TLSSocket | undefined;
    let stage = 'connecting';
    let settled = false;

    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      secure?.destroy();
      raw.destroy();
      reject(error);
    };
    const succeed = (socket: Socket | TLSSocket) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      raw.removeListener('error', onRawError);
      raw.removeListener('close', onRawClose);
      secure?.removeListener('error', onTlsError);
      resolve(socket);
    };
    const onRawError = (error: Error) => fail(error);
    const onRawClose = () => fail(new ConnectError(`connection to ${server} closed while ${stage}`, 'ECONNRESET'));
    const onTlsError = (error: Error) => fail(describeTlsFailure(error, server, host));

    const timer = setTimeout(
      () => fail(new ConnectError(`connect timeout: no ${options.ca ? 'TLS session' : 'connection'} with ${server} within ${options.timeoutMs} ms (while ${stage})`, 'ETIMEDOUT')),
      options.timeoutMs,
    );

    raw.on('error', onRawError);
    raw.on('close', onRawClose);
    raw.connect(port, host, () => {
      if (options.ca === undefined) {
        succeed(raw);
        return;
      }
      stage = 'waiting for the answer to SSLRequest';
      raw.once('data', (reply: Buffer) => {
        if (reply[0] === SSL_NO) {
          fail(
            new DatabaseTlsError(
              TlsFailureReason.NO_TLS,
              `TLS refused: server ${server} does not support TLS (it answered the SSLRequest with "N"); enable ssl on the server, DATABASE_TLS=verify-full never falls back to plaintext`,
            ),
          );
          return;
        }
        if (reply[0] !== SSL_YES) {
          fail(new DatabaseTlsError(TlsFailureReason.HANDSHAKE, `TLS negotiation failed: ${server} answered the SSLRequest with byte 0x${reply[0]?.toString(16) ?? '??'}; is it a PostgreSQL server?`));
          return;
        }
        // Bytes after 'S' would be read as if they came through TLS (CVE-2021-23222).
        if (reply.length > 1) {
          fail(new DatabaseTlsError(TlsFailureReason.HANDSHAKE, `TLS negotiation failed: ${server} sent unencrypted data after accepting the SSLRequest`));
          return;
        }
        stage = 'in the TLS handshake';
        raw.removeListener('error', onRawError);
        raw.removeListener('close', onRawClose);
        // The TLS socket now owns the connection and reports its errors; this keeps a
        // stray error on the wrapped socket from becoming an uncaught exception.
        raw.on('error', () => undefined);
        secure = tlsConnect({
          socket: raw,
          host,
          // SNI carries DNS names only (RFC 6066 §3).
          ...(isIP(host) ? {} : { servername: host }),
          ca: options.ca,
          minVersion: 'TLSv1.2',
          rejectUnauthorized: options.rejectUnauthorized ?? true,
          checkServerIdentity: (_name, certificate) => checkServerIdentity(host, certificate),
        });
        secure.on('error', onTlsError);
        secure.once('close', onRawClose);
        secure.once('secureConnect', () => {
          secure?.removeListener('close', onRawClose);
          succeed(secure as TLSSocket);
        });
      });
      raw.write(SSL_REQUEST);
    });
  });
}
