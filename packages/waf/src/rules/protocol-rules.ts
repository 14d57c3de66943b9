import { CONTROL as CONTROL_CHARS } from '../request/char-mask.js';
import { FIELD_KINDS, type Field } from '../request/field.js';
import type { ParsedRequest } from '../request/parse-request.js';
import { RULE_CATEGORIES, viewRule, type FieldRule, type RequestRule, type Severity } from './rule.js';
import { ARGS, ARGS_AND_HEADERS, EVERYWHERE } from './targets.js';

/** What the protected API accepts; anything else is a policy violation (CRS 911100, 920420, 920480). */
export interface ProtocolPolicy {
  allowedMethods: readonly string[];
  /** Media types a body may have; `+json` structured syntax suffixes are always accepted (RFC 6839). */
  allowedContentTypes: readonly string[];
  allowedCharsets: readonly string[];
  /** Extensions the API never serves (CRS 920440): `.sql`, `.bak`, `.env`… */
  restrictedExtensions: readonly string[];
  /** Headers no client of this API sends (CRS 920450): WebDAV, httpoxy. */
  restrictedHeaders: readonly string[];
}

export const DEFAULT_PROTOCOL_POLICY: ProtocolPolicy = {
  allowedMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowedContentTypes: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/xml', 'text/xml', 'application/octet-stream'],
  allowedCharsets: ['utf-8', 'utf8', 'iso-8859-1', 'iso-8859-15', 'windows-1252', 'us-ascii'],
  restrictedExtensions: [
    'asa', 'asax', 'ascx', 'backup', 'bak', 'bat', 'cdx', 'cer', 'cfg', 'cmd', 'config', 'conf', 'csproj', 'csr',
    'dat', 'db', 'dbf', 'dll', 'htr', 'htw', 'ida', 'idc', 'idq', 'inc', 'ini', 'licx', 'lnk', 'log', 'mdb',
    'old', 'pdb', 'pol', 'pwd', 'rdb', 'resources', 'resx', 'sql', 'swp', 'sys', 'vbs', 'vbproj',
    'vsdisco', 'webinfo', 'xsd', 'xsx', 'sqlite', 'sqlite3', 'env', 'pem', 'p12', 'pfx', 'kdbx', 'tfstate', 'dump', 'orig',
    'save', 'tmp', 'temp',
  ],
  restrictedHeaders: ['if', 'proxy', 'lock-token', 'content-range', 'translate', 'request-range', 'x-original-url', 'x-rewrite-url'],
};

const base = { category: RULE_CATEGORIES.protocol, severity: 'critical' as Severity };

function requestRule(id: string, description: string, check: (request: ParsedRequest) => string | undefined, paranoia: 1 | 2 = 1, severity: Severity = 'critical'): RequestRule {
  return { ...base, severity, id, description, paranoia, scope: 'request', check };
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HOST = /^(?:[a-z0-9_](?:[a-z0-9_.-]{0,251}[a-z0-9_])?\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
const IP_HOST = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
const CRLF = /[\r\n]/;
const CONTROL = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/;
// No left boundary: `barGET / HTTP/1.1` is how a request is glued to the end of a body.
const SMUGGLED_REQUEST = /(?:get|post|head|options|connect|put|delete|trace|track|patch|propfind|proppatch|mkcol|copy|move|lock|unlock)\s+(?:\/|https?:\/\/)[^\s]{0,2048}\s+http\/\d/i;
const RESPONSE_SPLITTING = /[\r\n][ \t]{0,8}(?:content-(?:type|length|disposition|encoding)|set-cookie|location|refresh|transfer-encoding|cache-control|x-[\w-]{1,64}|remote-addr|host)[ \t]{0,8}:|[\r\n][ \t\r\n]{0,8}(?:<html|<meta|http\/\d)/i;
const MEDIA_TYPE_IN_PARAMETER = /;\s*(?!type\s*=|start-info\s*=)[\w-]+\s*=\s*"?[\w.+-]+\/[\w.+-]+/i;

/** RFC 9110 media-type syntax, lenient about what a boundary may contain. */
function validContentType(value: string): boolean {
  const [type, ...parameters] = value.split(';');
  if (!/^\s*[\w.+*-]+\/[\w.+*-]+\s*$/.test(type ?? '')) return false;
  return parameters.every((parameter) => /^\s*[\w.-]+=(?:"[^"]*"|[^\s";]+)\s*$/.test(parameter));
}

function charsets(value: string): string[] {
  return [...value.matchAll(/;\s*charset\s*=\s*"?([^";\s]*)"?/gi)].map((m) => m[1]!.toLowerCase());
}

function rangeAbuse(value: string): boolean {
  const match = /^\s*bytes\s*=(.*)$/i.exec(value);
  if (!match) return true;
  const ranges = match[1]!.split(',');
  if (ranges.length >= 6) return true;
  return ranges.some((range) => {
    const m = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(range);
    if (!m || (m[1] === '' && m[2] === '')) return true;
    return m[1] !== '' && m[2] !== '' && Number(m[2]) < Number(m[1]);
  });
}

function firstField(request: ParsedRequest, predicate: (field: Field) => boolean): string | undefined {
  return request.fields.find(predicate)?.name;
}

/** Protocol enforcement and attacks on HTTP itself (CRS REQUEST-920/921). */
export function protocolRules(policy: ProtocolPolicy): Array<RequestRule | FieldRule> {
  const methods = new Set(policy.allowedMethods.map((m) => m.toUpperCase()));
  const contentTypes = new Set(policy.allowedContentTypes.map((t) => t.toLowerCase()));
  const allowedCharsets = new Set(policy.allowedCharsets.map((c) => c.toLowerCase()));
  const extensions = new RegExp(`\\.(?:${policy.restrictedExtensions.join('|')})$|[^/]~(?:/|$)`, 'i');
  const restrictedHeaders = policy.restrictedHeaders.map((h) => h.toLowerCase());

  return [
    requestRule('WAF_PROTO_001', 'Method not allowed by policy or not a valid token', (r) => (TOKEN.test(r.method) && methods.has(r.method) ? undefined : 'method')),
    requestRule('WAF_PROTO_002', 'Invalid request target (not origin-form, raw fragment, whitespace or control characters)', (r) => {
      const url = r.request.url;
      if (url === '*' && r.method === 'OPTIONS') return undefined;
      return !url.startsWith('/') || /[#\s\x00-\x1f\x7f]/.test(url) ? 'request-line' : undefined;
    }),
    requestRule('WAF_PROTO_003', 'HTTP version not allowed', (r) => {
      const version = r.request.httpVersion;
      return version === undefined || /^(?:1\.[01]|2(?:\.0)?|3)$/.test(version) ? undefined : 'request-line';
    }),
    requestRule('WAF_PROTO_004', 'Empty or malformed Host header', (r) => {
      const host = r.header('host');
      if (host === undefined) return undefined;
      return HOST.test(host.trim()) ? undefined : 'header:/host';
    }),
    requestRule('WAF_PROTO_005', 'Host header is a numeric IP address', (r) => (IP_HOST.test(r.header('host')?.trim() ?? '') ? 'header:/host' : undefined), 1, 'warning'),
    requestRule('WAF_PROTO_006', 'Message framing: invalid Content-Length or Transfer-Encoding, or a body on GET/HEAD', (r) => {
      const length = r.header('content-length');
      const encoding = r.header('transfer-encoding');
      if (length !== undefined && !/^\s*\d+\s*$/.test(length)) return 'header:/content-length';
      if (encoding !== undefined && (length !== undefined || !/^\s*chunked\s*$/i.test(encoding))) return 'header:/transfer-encoding';
      if (r.method === 'GET' || r.method === 'HEAD') {
        if (encoding !== undefined) return 'header:/transfer-encoding';
        if ((length !== undefined && Number(length) > 0) || r.bodyLength > 0) return 'body';
      }
      return undefined;
    }),
    requestRule('WAF_PROTO_007', 'Repeated or conflicting Connection header options', (r) => {
      const connection = r.header('connection');
      if (connection === undefined) return undefined;
      const tokens = connection.toLowerCase().split(',').map((t) => t.trim()).filter((t) => t.length > 0);
      const unique = new Set(tokens);
      return unique.size !== tokens.length || (unique.has('close') && unique.has('keep-alive')) ? 'header:/connection' : undefined;
    }),
    requestRule('WAF_PROTO_008', 'Range header abuse (invalid or too many ranges) or obsolete Request-Range', (r) => {
      const range = r.header('range');
      return range !== undefined && rangeAbuse(range) ? 'header:/range' : undefined;
    }),
    requestRule('WAF_PROTO_009', 'Header not allowed by policy (WebDAV If, Proxy (httpoxy), Request-Range, X-Original-URL…)', (r) => {
      const found = restrictedHeaders.find((name) => r.header(name) !== undefined);
      return found === undefined ? undefined : `header:/${found}`;
    }),
    requestRule('WAF_PROTO_010', 'Content-Type not allowed, malformed, with a foreign charset or a media type smuggled into a parameter', (r) => {
      const contentType = r.header('content-type');
      if (contentType === undefined) return undefined;
      const media = r.mediaType ?? '';
      if (!validContentType(contentType)) return 'header:/content-type';
      if (MEDIA_TYPE_IN_PARAMETER.test(contentType)) return 'header:/content-type';
      const declared = charsets(contentType);
      if (declared.length > 1 || declared.some((c) => !allowedCharsets.has(c))) return 'header:/content-type';
      const hasBody = r.bodyLength > 0 || Number(r.header('content-length') ?? 0) > 0;
      if (hasBody && !contentTypes.has(media) && !/^application\/[\w.-]+\+json$/.test(media)) return 'header:/content-type';
      return undefined;
    }),
    requestRule('WAF_PROTO_011', 'Accept header asks for a charset not allowed by policy', (r) => {
      const accept = r.header('accept');
      if (accept === undefined) return undefined;
      return charsets(accept.replace(/,/g, ';')).some((c) => !allowedCharsets.has(c)) ? 'header:/accept' : undefined;
    }),
    requestRule('WAF_PROTO_012', 'Invalid URL encoding (a % not followed by two hex digits)', (r) => (r.anomalies.badEscape ? 'url' : undefined)),
    requestRule('WAF_PROTO_013', 'Invalid UTF-8 after URL decoding (overlong or truncated sequences)', (r) => (r.anomalies.malformedUtf8 ? 'url' : undefined)),
    requestRule('WAF_PROTO_014', 'NUL byte in the request', (r) =>
      /%00/i.test(r.request.url) ? 'url' : firstField(r, (f) => f.value.includes('\0') || (f.kind === FIELD_KINDS.header && /%00/i.test(f.value))),
    ),
    requestRule('WAF_PROTO_015', 'Header injection: CR or LF in a header value, argument name or the path', (r) =>
      firstField(r, (f) => (f.kind === FIELD_KINDS.header || f.kind === FIELD_KINDS.argName || f.kind === FIELD_KINDS.cookieName || f.kind === FIELD_KINDS.path) && CRLF.test(f.decoded)),
    ),
    requestRule('WAF_PROTO_016', 'Restricted file extension or backup file in the path (.sql, .bak, .env, ~)', (r) => {
      const path = r.rawPath.split(';', 1)[0] ?? '';
      let decoded = path;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        // Invalid escapes are WAF_PROTO_012's finding.
      }
      return extensions.test(decoded) ? 'path:/' : undefined;
    }),
    requestRule('WAF_PROTO_017', 'Method override to a different method (_method, X-HTTP-Method-Override)', (r) => {
      const override =
        r.fields.find((f) => f.kind === FIELD_KINDS.arg && f.location !== 'header' && f.pointer.toLowerCase() === '/_method') ??
        r.fields.find((f) => f.kind === FIELD_KINDS.header && /^\/x-(?:http-)?method(?:-override)?$/.test(f.pointer));
      return override !== undefined && override.decoded.trim().toUpperCase() !== r.method ? override.name : undefined;
    }, 2),
    requestRule('WAF_PROTO_018', 'Multipart part name or file name built to confuse parsers (quotes, ;, =, \\)', (r) =>
      r.bodyKind !== 'multipart'
        ? undefined
        : firstField(r, (f) => (f.kind === FIELD_KINDS.fileName || f.kind === FIELD_KINDS.argName) && f.location === 'body' && /(?<!&(?:amp|quot|apos|lt|gt|[a-z]uml|[a-z]acute|[a-z]grave|[a-z]circ|[a-z]tilde|[a-z]cedil))[;]|['"=\\]/i.test(f.value)),
    ),
    requestRule('WAF_PROTO_019', 'Obsolete cookie syntax ($Version) used to smuggle cookies', (r) => (/^\s*\$version\s*=/i.test(r.header('cookie') ?? '') ? 'header:/cookie' : undefined)),
    requestRule('WAF_PROTO_020', 'mod_proxy unix: socket target in the request', (r) => (/unix:[^|]*\|/i.test(decodeSafe(r.request.url)) ? 'url' : undefined)),
    requestRule('WAF_PROTO_021', 'Body without a Content-Type', (r) => (r.bodyLength > 0 && r.header('content-type') === undefined ? 'header:/content-type' : undefined), 1, 'warning'),
    viewRule(
      { ...base, id: 'WAF_PROTO_022', paranoia: 1, targets: ARGS, description: 'HTTP request smuggling: a request line inside the request' },
      (field) => (field.lower.includes('http/') ? field.text : undefined),
      SMUGGLED_REQUEST,
      '/',
    ),
    viewRule(
      { ...base, id: 'WAF_PROTO_023', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'HTTP response splitting or header injection: CR/LF followed by a header or markup' },
      (field) => field.decoded,
      RESPONSE_SPLITTING,
      '\r\n',
    ),
    contextual(viewRule(
      { ...base, id: 'WAF_PROTO_024', paranoia: 2, targets: [FIELD_KINDS.arg], description: 'CR or LF in a query-string value' },
      (field) => (field.location === 'query' ? field.value : undefined),
      CRLF,
      '\r\n',
    )),
    viewRule(
      { ...base, id: 'WAF_PROTO_025', paranoia: 2, targets: ARGS, description: 'Non-printable control characters in an argument or cookie' },
      (field) => ((field.mask & CONTROL_CHARS) !== 0 ? field.decoded : undefined),
      CONTROL,
    ),
    viewRule(
      { ...base, id: 'WAF_PROTO_026', paranoia: 1, targets: EVERYWHERE, description: 'JavaScript-style unicode escape (\\uXXXX) outside a JSON body: a filter bypass' },
      (field) => field.value,
      /\\u[0-9a-fA-F]{4}/,
      '\\',
    ),
  ];
}

/** Marks a rule that reads the field's location: its result depends on more than the value. */
function contextual(rule: FieldRule): FieldRule {
  return { ...rule, context: true };
}

function decodeSafe(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}
