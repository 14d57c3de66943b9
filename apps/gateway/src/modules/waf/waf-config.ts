import { ConfigError } from '@bursary/config';
import { DEFAULT_CRAWLER_RANGES, DEFAULT_LIMITS, IpRanges, type ParanoiaLevel } from '@bursary/waf';
import { Type } from 'typebox';

const CIDR_LIST_FORM = 'comma-separated IP addresses or CIDRs, e.g. 10.1.2.0/24,2001:db8::/32; empty for none';
const CRAWLER_RANGES_FORM =
  'comma-separated CIDRs published by the search engines (googlebot.json, bingbot.json); "default" for the snapshot shipped with @bursary/waf, empty for none';
const DISABLED_RULES_FORM = 'comma-separated WAF rule ids switched off everywhere (emergency only), e.g. WAF_SQLI_012; empty for none';

/**
 * The WAF's boot-time settings (R-WAF-1..5). The mode is not among them: it
 * is the live setting `waf.mode` (R-WAF-2, R-OPS-3), like `hosts.mode`, so
 * that every instance follows one value and an operator flips it without a
 * redeploy.
 */
export const wafEnv = {
  WAF_PARANOIA_LEVEL: Type.Integer({
    minimum: 1,
    maximum: 4,
    default: 2,
    description: 'the CRS paranoia level: rules above it do not run (an integer from 1 to 4; 2 keeps the golden paths free of false positives)',
  }),
  WAF_INBOUND_THRESHOLD: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 5,
    description: 'the inbound anomaly score at which a request is an attack: critical 5, error 4, warning 3, notice 2 (an integer from 1 to 1000)',
  }),
  WAF_JSON_BODY_THRESHOLD: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'the anomaly threshold of matches inside JSON bodies (an integer from 1 to 1000; default WAF_INBOUND_THRESHOLD)' }),
  ),
  WAF_BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 16 * 1024 * 1024,
    default: DEFAULT_LIMITS.maxBodyBytes,
    description: 'the largest body the WAF inspects; a POST/PUT/PATCH/DELETE with a larger body is refused with 413 WAF_BODY_TOO_LARGE (an integer from 1024 to 16777216)',
  }),
  WAF_ALLOWLIST: Type.String({ default: '', description: `QA and uptime-monitor ranges whose requests are not inspected: ${CIDR_LIST_FORM}` }),
  WAF_CRAWLER_RANGES: Type.String({ default: 'default', description: CRAWLER_RANGES_FORM }),
  WAF_DISABLED_RULES: Type.String({ default: '', description: DISABLED_RULES_FORM }),
};

export interface RawWafConfig {
  WAF_PARANOIA_LEVEL: number;
  WAF_INBOUND_THRESHOLD: number;
  WAF_JSON_BODY_THRESHOLD?: number | undefined;
  WAF_BODY_LIMIT_BYTES: number;
  WAF_ALLOWLIST: string;
  WAF_CRAWLER_RANGES: string;
  WAF_DISABLED_RULES: string;
}

export interface WafConfig {
  paranoiaLevel: ParanoiaLevel;
  inboundThreshold: number;
  jsonBodyThreshold: number;
  maxBodyBytes: number;
  allowlist: string[];
  crawlerRanges: string[];
  disabledRules: string[];
}

const splitList = (value: string) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');

/** A CIDR list checked by the WAF's own parser, so that what boots is what matches. */
function cidrList(variable: string, form: string, value: string): string[] {
  const entries = splitList(value);
  try {
    new IpRanges(entries);
  } catch {
    throw new ConfigError(variable, form, value);
  }
  return entries;
}

export function parseWafConfig(raw: RawWafConfig): WafConfig {
  const disabledRules = splitList(raw.WAF_DISABLED_RULES);
  if (disabledRules.some((id) => !/^WAF_[A-Z]+_\d{3}$/.test(id))) throw new ConfigError('WAF_DISABLED_RULES', DISABLED_RULES_FORM, raw.WAF_DISABLED_RULES);
  return {
    paranoiaLevel: raw.WAF_PARANOIA_LEVEL as ParanoiaLevel,
    inboundThreshold: raw.WAF_INBOUND_THRESHOLD,
    jsonBodyThreshold: raw.WAF_JSON_BODY_THRESHOLD ?? raw.WAF_INBOUND_THRESHOLD,
    maxBodyBytes: raw.WAF_BODY_LIMIT_BYTES,
    allowlist: cidrList('WAF_ALLOWLIST', CIDR_LIST_FORM, raw.WAF_ALLOWLIST),
    crawlerRanges: raw.WAF_CRAWLER_RANGES.trim() === 'default' ? [...DEFAULT_CRAWLER_RANGES] : cidrList('WAF_CRAWLER_RANGES', CRAWLER_RANGES_FORM, raw.WAF_CRAWLER_RANGES),
    disabledRules,
  };
}
