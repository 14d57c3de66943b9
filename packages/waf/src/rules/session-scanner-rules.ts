import { FIELD_KINDS } from '../request/field.js';
import type { ParsedRequest } from '../request/parse-request.js';
import { RULE_CATEGORIES, viewRule, type FieldRule, type RequestRule } from './rule.js';
import { ARGS_AND_HEADERS } from './targets.js';

/** Session identifier parameter names of common frameworks (PHP, Java, ASP, ColdFusion, Laravel, Flask, Koa, Next-Auth…). */
const SESSION_PARAMETER =
  /^(?:php_?sess(?:id|ion)|jsessionid|aspsessionid\w*|asp\.net_sessionid|session_?id|_session_id|cfid|cftoken|cfsid|jwsession|laravel_session|_?flask_session|play_session|koa\.sess(?:\.sig)?|connect\.sid|cakephp|meteor_login_token|shiny-token|(?:__secure-|__host-)?next-auth\.session-token|sails\.sid|rack\.session|_[a-z]+_session)$/i;

function sessionParameter(request: ParsedRequest): string | undefined {
  // Query, body and matrix (`;jsessionid=`) parameters; cookies are where session ids belong.
  return request.fields.find((f) => f.kind === FIELD_KINDS.argName && f.location !== 'cookie' && SESSION_PARAMETER.test(f.value))?.name;
}

function hostOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return new URL(value).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

const session = { category: RULE_CATEGORIES.session, severity: 'critical' } as const;

/** Session fixation (CRS REQUEST-943). */
export const SESSION_RULES: ReadonlyArray<FieldRule | RequestRule> = [
  viewRule(
    { ...session, id: 'WAF_SESSION_001', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'Session fixation: setting a cookie from injected HTML or script' },
    (field) => field.lower,
    /\.cookie\b[^;\n]{0,80};?\s*(?:expires|domain|path|max-age)\s*=|\bhttp-equiv\W{1,10}set-cookie\b/,
    '.-',
  ),
  {
    ...session,
    id: 'WAF_SESSION_002',
    paranoia: 1,
    scope: 'request',
    description: 'Session fixation: session id parameter with an off-site Referer',
    check: (request) => {
      const field = sessionParameter(request);
      if (field === undefined) return undefined;
      const referer = hostOf(request.header('referer'));
      const host = request.header('host')?.split(':', 1)[0]?.toLowerCase();
      return referer !== undefined && host !== undefined && referer !== host && !referer.endsWith(`.${host}`) ? field : undefined;
    },
  },
  {
    ...session,
    id: 'WAF_SESSION_003',
    paranoia: 1,
    scope: 'request',
    description: 'Session fixation: session id parameter without a Referer',
    check: (request) => (request.header('referer') === undefined ? sessionParameter(request) : undefined),
  },
];

const SCANNER_AGENT =
  /\b(?:arachni|nessus|nikto|sqlmap|nmap|zgrab|masscan|dirbuster|gobuster|feroxbuster|fuzz faster u fool|ffuf|wfuzz|wpscan|joomscan|droopescan|acunetix|netsparker|invicti|appscan|w3af|openvas|nuclei|havij|zmeu|morfeus|jaeles|skipfish|paros|webinspect|sqlninja|commix|hydra|brutus|whatweb|xsstrike|dalfox|burpcollaborator|qualys|detectify|zaproxy|owasp zap|metasploit|bbqsql|grendel-scan|webshag|vega\/|uniscan|webreaper|dirsearch)\b/;

/** Security scanners identified by their User-Agent (CRS REQUEST-913). */
export const SCANNER_RULES: readonly FieldRule[] = [
  {
    category: RULE_CATEGORIES.scanner,
    severity: 'critical',
    id: 'WAF_SCANNER_001',
    paranoia: 1,
    description: 'User-Agent of a security scanner or attack tool',
    targets: [FIELD_KINDS.header],
    scope: 'field',
    context: true,
    match: (field) => field.pointer === '/user-agent' && SCANNER_AGENT.test(field.lower),
  },
];
