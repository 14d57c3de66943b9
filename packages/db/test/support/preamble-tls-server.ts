import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';

export interface PreambleTlsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A server that answers the PostgreSQL SSLRequest with 'S' and then does a
 * TLS handshake, nothing more. Two uses: an old server offering only TLS
 * 1.0–1.1 (Postgres 15 with Debian's OpenSSL will not even start with
 * ssl_max_protocol_version = 'TLSv1.1'), and presenting an arbitrary
 * certificate. The client's refusal happens in its own handshake either way.
 */
export async function startPreambleTlsServer(
  certificate: { certFile: string; keyFile: string },
  options: { legacyOnly: boolean },
): Promise<PreambleTlsServer> {
  const secureContext = createSecureContext({
    cert: readFileSync(certificate.certFile),
    key: readFileSync(certificate.keyFile),
    ...(options.legacyOnly
      ? // OpenSSL 3 disables TLS < 1.2 at security level 1 and above.
        { minVersion: 'TLSv1' as const, maxVersion: 'TLSv1.1' as const, ciphers: 'DEFAULT@SECLEVEL=0' }
      : {}),
  });
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write('S');
      new TLSSocket(socket, { isServer: true, secureContext }).on('error', () => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
