import { ConfigError } from '@bursary/config';
import { Type } from 'typebox';
import { formatHostPattern, parseHost, parseHostPattern } from './host-rules.js';

const ALLOWED_HOSTS_FORM =
  'comma-separated host names this gateway answers for: "example.com" (exact), ".example.com" (the domain and its subdomains), IP literals ("127.0.0.1", "[::1]"), each with an optional ":port" (only that port); never "*"';
const ALLOWED_HOSTS_REQUIRED = `${ALLOWED_HOSTS_FORM} (required when APP_ENV=production)`;
const TEST_BYPASS_FORM = 'false: the test-runner allowance (true) exists only with APP_ENV=test';
const CORS_ORIGINS_FORM = 'comma-separated exact origins allowed to call the API from a browser, e.g. https://www.example.com,https://qa.example.com (scheme, host and optional port; never "*" or "null")';

/**
 * Without ALLOWED_HOSTS, development and test answer for the loopback names
 * on any port (`npm start`, the e2e stack on 127.0.0.1:<port>, inject()'s
 * localhost:80). Production has no default: it refuses to boot without a list.
 */
export const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

/** The gateway's edge variables (R-HOST, R-CORS), spread into its env schema. */
export const edgeEnv = {
  ALLOWED_HOSTS: Type.String({ default: '', description: ALLOWED_HOSTS_FORM }),
  ALLOWED_HOSTS_TEST_BYPASS: Type.Boolean({
    default: false,
    description: 'true lets any well-formed Host past the allowlist, for test runners; only with APP_ENV=test (true or false)',
  }),
  ALLOWED_HOSTS_HEALTH_BYPASS: Type.Boolean({
    default: true,
    description: 'true lets GET/HEAD of exactly /healthz and /readyz through with a well-formed Host that is not listed, for load-balancer probes addressed by IP (true or false)',
  }),
  CORS_ORIGINS: Type.String({ default: '', description: CORS_ORIGINS_FORM }),
};

export interface RawEdgeConfig {
  APP_ENV: 'development' | 'test' | 'production';
  ALLOWED_HOSTS: string;
  ALLOWED_HOSTS_TEST_BYPASS: boolean;
  CORS_ORIGINS: string;
}

export interface EdgeConfig {
  /** Canonical allowlist entries (see host-rules.ts for the grammar). */
  ALLOWED_HOSTS: string[];
  /** Canonical origins (`scheme://host[:port]`, lowercase, default port omitted). */
  CORS_ORIGINS: string[];
}

const splitList = (value: string) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');

export function parseAllowedHosts(value: string): string[] {
  return splitList(value).map((entry) => {
    try {
      return formatHostPattern(parseHostPattern(entry));
    } catch {
      throw new ConfigError('ALLOWED_HOSTS', ALLOWED_HOSTS_FORM, value);
    }
  });
}

function canonicalOrigin(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return undefined;
  // A real host (no `*` pattern, which URL lets through): the Host grammar of the allowlist.
  if (parseHost(url.host) === undefined) return undefined;
  // As a browser serializes it (lowercase, default port omitted, punycode), which is what Origin carries.
  return url.origin;
}

export function parseCorsOrigins(value: string): string[] {
  return splitList(value).map((entry) => {
    const origin = canonicalOrigin(entry);
    if (origin === undefined) throw new ConfigError('CORS_ORIGINS', CORS_ORIGINS_FORM, value);
    return origin;
  });
}

/**
 * The edge part of the gateway config, checked as a whole: production must
 * list its hosts and can never carry the test-runner allowance (R-HOST-3).
 */
export function parseEdgeConfig(raw: RawEdgeConfig): EdgeConfig {
  if (raw.ALLOWED_HOSTS_TEST_BYPASS && raw.APP_ENV !== 'test') {
    throw new ConfigError('ALLOWED_HOSTS_TEST_BYPASS', TEST_BYPASS_FORM, 'true');
  }
  const hosts = parseAllowedHosts(raw.ALLOWED_HOSTS);
  if (hosts.length === 0 && raw.APP_ENV === 'production') throw new ConfigError('ALLOWED_HOSTS', ALLOWED_HOSTS_REQUIRED, undefined);
  return {
    ALLOWED_HOSTS: hosts.length > 0 ? hosts : [...LOCAL_HOSTS],
    CORS_ORIGINS: parseCorsOrigins(raw.CORS_ORIGINS),
  };
}
