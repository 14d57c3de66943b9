import { isIPv4, isIPv6 } from 'node:net';

/**
 * Host validation rules (R-HOST-1), after Django's ALLOWED_HOSTS and Rails'
 * HostAuthorization.
 *
 * Allowlist entry grammar (ALLOWED_HOSTS, comma-separated):
 *   example.com          exactly this name
 *   .example.com         example.com and every subdomain at any depth
 *                        (www.example.com, a.b.example.com); not badexample.com.
 *                        At least two labels: `.com` is refused.
 *   127.0.0.1, [::1]     IP literals (IPv6 in brackets), exact only
 *   <any of them>:8443   the same, on that port only
 * `*`, `*.example.com` and anything else are refused at boot: there is no
 * "allow everything" entry.
 *
 * Port policy: an entry without a port allows the name on any port (a name
 * is what a certificate and DNS vouch for; ports differ between the load
 * balancer, a local run and a test runner). An entry with a port allows that
 * port only, and a Host without a port matches only entries without one
 * (we do not guess the scheme's default port behind a TLS terminator).
 *
 * Normalization before comparing: ASCII case folded, one trailing dot
 * stripped (`EXAMPLE.com.` is `example.com`), IPv6 literals in canonical
 * form (`[0:0::1]` is `[::1]`). Anything that is not a plain name, an IPv4
 * dotted quad or a bracketed IPv6 literal with an optional decimal port is
 * malformed: userinfo (`127.0.0.1@evil.com`), spaces, commas, percent or
 * non-ASCII bytes (send punycode, `xn--…`, which is then compared exactly),
 * numeric tricks (`127.1`, `2130706433`, `0177.0.0.1`), bare IPv6, zone ids,
 * port 0 or leading zeros, and values longer than a DNS name can be.
 */

export interface ParsedHost {
  /** Lowercase name without trailing dot, dotted-quad IPv4, or canonical `[v6]`. */
  name: string;
  port: number | undefined;
}

export interface HostPattern {
  name: string;
  /** `.example.com`: the name and every subdomain. */
  subdomains: boolean;
  port: number | undefined;
}

/** The longest Host we parse: a 253-byte name plus `:65535`; anything longer is malformed. */
const MAX_HOST_LENGTH = 253 + 6;
const ALLOWED_CHARS = /^[A-Za-z0-9._:[\]-]+$/;
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const NUMERIC_LABEL = /^[0-9]+$/;
const PORT = /^[1-9][0-9]{0,4}$/;

function parsePort(text: string | undefined): number | undefined | false {
  if (text === undefined) return undefined;
  if (!PORT.test(text)) return false;
  const port = Number(text);
  return port <= 65535 ? port : false;
}

function canonicalIPv6(address: string): string | undefined {
  if (!isIPv6(address)) return undefined;
  try {
    // WHATWG URL serializes IPv6 hosts canonically (RFC 5952): [0:0::1] → [::1].
    return new URL(`http://[${address}]/`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function normalizeName(raw: string): string | undefined {
  let name = raw.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '' || name.length > 253) return undefined;
  const labels = name.split('.');
  if (!labels.every((label) => LABEL.test(label))) return undefined;
  // All-numeric names are IPv4 literals and must be a plain dotted quad;
  // `127.1`, `2130706433` and octal forms resolve to addresses on some stacks.
  if (labels.every((label) => NUMERIC_LABEL.test(label)) && !isIPv4(name)) return undefined;
  return name;
}

/** Parses one Host (or X-Forwarded-Host) value; `undefined` when malformed. */
export function parseHost(value: string): ParsedHost | undefined {
  if (value.length === 0 || value.length > MAX_HOST_LENGTH || !ALLOWED_CHARS.test(value)) return undefined;
  if (value.startsWith('[')) {
    const match = /^\[([0-9A-Fa-f:.]+)\](?::([0-9]+))?$/.exec(value);
    const name = match ? canonicalIPv6(match[1]!) : undefined;
    const port = parsePort(match?.[2]);
    return name !== undefined && port !== false ? { name, port } : undefined;
  }
  const match = /^([^:]+)(?::([0-9]+))?$/.exec(value);
  if (!match) return undefined;
  const name = normalizeName(match[1]!);
  const port = parsePort(match[2]);
  return name !== undefined && port !== false ? { name, port } : undefined;
}

/** Parses one allowlist entry; throws with the reason when it is not in the grammar above. */
export function parseHostPattern(entry: string): HostPattern {
  const trimmed = entry.trim();
  if (trimmed === '*' || trimmed.startsWith('*')) {
    throw new Error(`"${trimmed}": there is no catch-all entry; list names, or ".example.com" for a domain and its subdomains`);
  }
  const subdomains = trimmed.startsWith('.');
  const parsed = parseHost(subdomains ? trimmed.slice(1) : trimmed);
  if (!parsed) throw new Error(`"${trimmed}" is not a host name, IP literal or ".domain", with an optional :port`);
  if (subdomains) {
    if (parsed.name.startsWith('[') || isIPv4(parsed.name)) throw new Error(`"${trimmed}": an IP address has no subdomains`);
    if (!parsed.name.includes('.')) throw new Error(`"${trimmed}": a subdomain wildcard needs at least two labels`);
  }
  return { name: parsed.name, subdomains, port: parsed.port };
}

/** The canonical text of a pattern, as the config shows it. */
export function formatHostPattern(pattern: HostPattern): string {
  return `${pattern.subdomains ? '.' : ''}${pattern.name}${pattern.port === undefined ? '' : `:${pattern.port}`}`;
}

export function hostMatches(host: ParsedHost, pattern: HostPattern): boolean {
  if (pattern.port !== undefined && host.port !== pattern.port) return false;
  if (host.name === pattern.name) return true;
  return pattern.subdomains && host.name.endsWith(`.${pattern.name}`);
}

export function isHostAllowed(host: ParsedHost, patterns: readonly HostPattern[]): boolean {
  return patterns.some((pattern) => hostMatches(host, pattern));
}
