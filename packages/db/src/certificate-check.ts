import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { openServerSocket, type ServerAddress } from './server-socket.js';

export interface CertificateReport {
  /** host:port of the database server. */
  server: string;
  /** Days until the earliest-expiring certificate of the chain expires (negative once expired). R-DB-4 alerts at ≤ 30. */
  daysToExpiry: number;
  /** ISO time at which that certificate expires. */
  expiresAt: string;
  /** Subject CN of that certificate (the leaf, an intermediate or the CA). */
  expiringSubject: string;
  /** Subject CN of the server's own certificate. */
  leafSubject: string;
  /** Whether the chain verifies against the configured CA and the hostname matches. */
  authorized: boolean;
  /** The OpenSSL/Node code when not authorized, e.g. CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID. */
  authorizationError?: string;
  /** The negotiated protocol, e.g. TLSv1.3. */
  protocol: string | null;
  checkedAt: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function commonName(subject: DetailedPeerCertificate['subject'] | undefined): string {
  const cn = subject?.CN;
  return (Array.isArray(cn) ? cn.join(', ') : cn) ?? '(no CN)';
}

/**
 * The chain as the server presented it plus what Node linked from the CA
 * bundle (issuerCertificate). A self-signed root points at itself, which ends
 * the walk; fingerprints guard against any other loop.
 */
function chainOf(leaf: DetailedPeerCertificate): DetailedPeerCertificate[] {
  const chain: DetailedPeerCertificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = leaf;
  while (current && current.valid_to && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(current);
    current = current.issuerCertificate;
  }
  return chain;
}

/** Reads the expiry of an established TLS session's chain (used for every new pool connection, too). */
export function reportFromSocket(socket: TLSSocket, server: string, now = Date.now()): CertificateReport | undefined {
  const leaf = socket.getPeerCertificate(true);
  if (!leaf || Object.keys(leaf).length === 0) return undefined;
  const chain = chainOf(leaf);
  let earliest = chain[0];
  for (const certificate of chain) {
    if (earliest && Date.parse(certificate.valid_to) < Date.parse(earliest.valid_to)) earliest = certificate;
  }
  if (!earliest) return undefined;
  const expiresAtMs = Date.parse(earliest.valid_to);
  const authorizationError = socket.authorized ? undefined : String(socket.authorizationError ?? 'unknown');
  return {
    server,
    daysToExpiry: Math.floor(((expiresAtMs - now) / DAY_MS) * 100) / 100,
    expiresAt: new Date(expiresAtMs).toISOString(),
    expiringSubject: commonName(earliest.subject),
    leafSubject: commonName(leaf.subject),
    authorized: socket.authorized,
    ...(authorizationError ? { authorizationError } : {}),
    protocol: socket.getProtocol(),
    checkedAt: new Date(now).toISOString(),
  };
}

/**
 * R-DB-4: opens a TLS session the way a client does (SSLRequest, then the
 * handshake), reads the server's certificate chain and closes without logging
 * in. Verification failures do not stop the check: an expired or foreign
 * certificate is exactly what it has to report, so it returns with
 * `authorized: false` rather than throwing.
 */
export async function checkServerCertificate(options: ServerAddress & { ca: Buffer | string; timeoutMs: number }): Promise<CertificateReport> {
  const server = `${options.host}:${options.port}`;
  const socket = (await openServerSocket({ ...options, rejectUnauthorized: false })) as TLSSocket;
  try {
    const report = reportFromSocket(socket, server);
    if (!report) throw new Error(`the server ${server} presented no certificate`);
    return report;
  } finally {
    // The server sees a client that left before the startup packet; no session, no login attempt.
    socket.on('error', () => undefined);
    socket.destroy();
  }
}
