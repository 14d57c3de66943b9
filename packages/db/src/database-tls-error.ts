/** Why a TLS session with the database could not be established; also the `reason` label of db_tls_handshake_failures_total. */
export const TlsFailureReason = {
  UNKNOWN_CA: 'unknown_ca',
  HOSTNAME_MISMATCH: 'hostname_mismatch',
  CERTIFICATE_EXPIRED: 'certificate_expired',
  PROTOCOL_VERSION: 'protocol_version',
  NO_TLS: 'no_tls',
  HANDSHAKE: 'handshake',
} as const;
export type TlsFailureReason = (typeof TlsFailureReason)[keyof typeof TlsFailureReason];

/**
 * A refused or failed TLS session (R-DB-1). The message says which check
 * failed and against which server, because "socket hang up" at 3 a.m. sends
 * people to the network team instead of the certificate.
 */
export class DatabaseTlsError extends Error {
  override readonly name = 'DatabaseTlsError';

  constructor(
    readonly reason: TlsFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// OpenSSL verification codes (X509_V_ERR_*) as Node reports them.
const UNKNOWN_CA_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);
const VALIDITY_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const PROTOCOL_CODES = new Set([
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Turns a Node/OpenSSL handshake error into a DatabaseTlsError naming the failed check. */
export function describeTlsFailure(error: unknown, server: string, host: string): DatabaseTlsError {
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  const tag = typeof code === 'string' ? ` [${code}]` : '';
  if (typeof code === 'string' && UNKNOWN_CA_CODES.has(code)) {
    return new DatabaseTlsError(
      TlsFailureReason.UNKNOWN_CA,
      `TLS verification failed: certificate signed by an unknown CA (server ${server}; it is not signed by the CA in DATABASE_CA_FILE)${tag}`,
      { cause: error },
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new DatabaseTlsError(
      TlsFailureReason.HOSTNAME_MISMATCH,
      `TLS verification failed: hostname mismatch: the certificate of ${server} is not valid for "${host}" (${detail})${tag}`,
      { cause: error },
    );
  }
  if (typeof code === 'string' && VALIDITY_CODES.has(code)) {
    return new DatabaseTlsError(
      TlsFailureReason.CERTIFICATE_EXPIRED,
      `TLS verification failed: the certificate of ${server} is outside its validity period (${detail})${tag}`,
      { cause: error },
    );
  }
  if (typeof code === 'string' && PROTOCOL_CODES.has(code)) {
    return new DatabaseTlsError(
      TlsFailureReason.PROTOCOL_VERSION,
      `TLS handshake failed: protocol version not accepted: ${server} offers no TLS version ≥ 1.2${tag}`,
      { cause: error },
    );
  }
  return new DatabaseTlsError(TlsFailureReason.HANDSHAKE, `TLS handshake with ${server} failed: ${detail}${tag}`, { cause: error });
}
