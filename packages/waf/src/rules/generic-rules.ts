import { FIELD_KINDS } from '../request/field.js';
import { RULE_CATEGORIES, viewRule, type FieldRule } from './rule.js';
import { ARGS, ARGS_AND_HEADERS, NAMES, PATH, VALUES } from './targets.js';

const NETWORK_SCHEMES = 'https?|ftps?|sftp|gopher|dict|ldaps?|tftp|file|jar|netdoc|rsync|rtmp|imap|pop3|smtp|telnet|ssh|wss?|redis|mysql|postgres(?:ql)?|mongodb|local_file|url|smb|nfs|rmi|iiop';

const ORM_LOOKUPS = new Set(['contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith', 'exact', 'iexact', 'regex', 'iregex', 'gt', 'gte', 'lt', 'lte', 'in', 'isnull', 'range', 'search', 'year', 'month', 'day', 'week_day', 'hour', 'minute', 'second']);

const base = { category: RULE_CATEGORIES.generic, severity: 'critical' } as const;
const rfi = { category: RULE_CATEGORIES.rfi, severity: 'critical' } as const;

/**
 * Attack classes that are not tied to one platform (CRS REQUEST-934 and
 * friends): NoSQL operators, server-side request forgery, template
 * injection, LDAP and XML external entities, plus remote file inclusion
 * (CRS REQUEST-931).
 */
export const GENERIC_RULES: readonly FieldRule[] = [
  viewRule(
    { ...base, id: 'WAF_GENERIC_001', paranoia: 1, targets: ARGS, description: 'NoSQL query operator in input ($ne, $gt, $regex, $where, [$ne]=)' },
    (field) => field.lower,
    /(?:^|[[{\s"',./])\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|elemmatch|nor|or|and|not|expr|options|type|size|all|mod|text|function|accumulator|jsonschema|lookup|slice|comment|geowithin|near)\b/,
    '$',
  ),
  viewRule(
    { ...base, id: 'WAF_GENERIC_002', paranoia: 1, targets: ARGS, description: 'SSRF: cloud metadata endpoint (169.254.169.254 in any notation, metadata.google.internal)' },
    (field) => field.lower,
    /169\.254\.169\.254|\bmetadata\.google\.internal\b|\b100\.100\.100\.200\b|fd00:ec2::254|::ffff:a9fe:a9fe|\b0xa9fea9fe\b|\b2852039166\b|\b0251\.0376\.0251\.0376\b|\b169\.254\.43518\b|\/latest\/(?:meta-data|user-data|api\/token)|\/computemetadata\/|\/metadata\/(?:v1|instance|identity)\b|\/openstack\/latest\b/,
    './:0',
  ),
  viewRule(
    { ...base, id: 'WAF_GENERIC_003', paranoia: 2, targets: ARGS, description: 'SSRF: URL whose host is an IP literal in any notation, hidden behind userinfo or backslashes, or on an unusual port' },
    (field) => field.lower,
    new RegExp(
      `\\b(?:${NETWORK_SCHEMES}):\\/{0,2}(?:[^\\s/@]{0,64}@)?(?:\\[[0-9a-f:.%a-z]*:[0-9a-f:.%a-z]*\\]|0x[0-9a-f]{6,8}\\b|\\d{8,10}\\b|0\\d{1,11}(?:\\.0?\\d{1,4}){0,3}\\b|\\d{1,3}\\.\\d{1,3}\\.\\d{1,5}\\b(?!\\.\\d)|(?:\\d{1,3}\\.){3}\\d{1,3}\\b|[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\\b)|:\\/\\/[^\\s/]{0,64}\\\\|:\\/\\/[^\\s/]{0,80}[\\s&#][^\\s/]{0,80}@\\s*(?:\\d{1,3}\\.){3}\\d{1,3}|:\\/\\/[^\\s/@]{1,80}\\/[^\\s/@]{0,80}:[^\\s/@]{0,80}@|\\b(?:https?|ftp):\\/\\/[^\\s/:@]{1,253}:(?!(?:80|443|8080|8443)\\b)\\d{2,5}\\b`,
    ),
    ':',
  ),
  viewRule(
    { ...base, id: 'WAF_GENERIC_004', paranoia: 1, targets: ARGS, description: 'SSRF: scheme that reaches internal services or files (gopher://, dict://, ldap://, ftp://, file://, jar:)' },
    (field) => field.lower,
    /\b(?:gopher|dict|ldaps?|tftp|netdoc|local_file|smb|rmi|iiop|corba|ftps?)\s*:\/\/|\b(?:file|netdoc):\/\/|\bfile:\/[a-z]|\bjar:(?:file|https?):|\burl\s*:\s*file:/,
    ':',
  ),
  viewRule(
    { ...base, id: 'WAF_GENERIC_005', paranoia: 1, targets: VALUES, description: 'SSRF: loopback or internal host name (localhost, *.docker.internal, 127.x, [::1])' },
    (field) => field.lower,
    /(?:^|[\s/@="'])(?:localhost\d?(?:\.localdomain\d?)?|ip6-(?:localhost|loopback)|[\w.-]*\.(?:docker|containers)\.internal|(?:host|gateway|kubernetes)\.docker\.internal|lvh\.me|localtest\.me|vcap\.me|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0|\[::1?\])(?:[:/]|$)/,
  ),
  viewRule(
    { ...base, id: 'WAF_GENERIC_006', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'Server-side template injection ({{7*7}}, {{\'\'.__class__}}, {% … %}, <%= %>, #{…}, ${7*7})' },
    (field) => field.lower,
    /\{\{[^{}]{0,80}(?:\d\s*[*+/-]\s*\d|__\w+__|\.\s*\w+\s*\(|constructor|config\b|self\.|request\.|lipsum|cycler|joiner|namespace|\|\s*attr\b)[^{}]{0,80}\}\}|\{%\s*(?:if|for|set|import|include|extends|macro|block|raw|print|debug)\b[^%]{0,120}%\}|<%=?\s*[^%>]{1,120}%>|#\{[^}]{1,120}\}|\$\{\s*\d+\s*[*+/-]\s*\d+\s*\}/,
    '{<#$',
  ),
  viewRule(
    { ...base, id: 'WAF_GENERIC_007', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'Perl or Ruby code injection (@{[ … ]}, Kernel.exec, IO.popen, %x{})' },
    (field) => field.lower,
    /(?<!@)@+\{\s*\[|\b(?:process\.spawn|kernel\.(?:exec|system|spawn|open)|io\.popen|open3\.\w+|%x\{|qx\s*\{|syscall\s*\()/,
    '@.%{(',
  ),
  {
    ...base,
    id: 'WAF_GENERIC_008',
    paranoia: 2,
    targets: NAMES,
    description: 'ORM lookup operator injected through a nested field name (user__profile__icontains)',
    scope: 'field',
    // Split, not a regex: `[a-z0-9_]*__[a-z0-9_]+__` backtracks quadratically on a run of underscores.
    match: (field) => {
      const parts = field.lower.split('__');
      return parts.length >= 3 && parts.every((part) => /^[a-z0-9_]{1,64}$/.test(part)) && ORM_LOOKUPS.has(parts[parts.length - 1]!);
    },
  },
  viewRule(
    { ...base, id: 'WAF_GENERIC_009', paranoia: 1, targets: ARGS, description: 'LDAP filter injection ()(uid=*), *)(|, )&(…)' },
    (field) => field.text,
    /\)\s*(?:!\s*)?\(\s*(?:[|&!]\s*)?[\w-]*\s*[<>~]?=|\)\s*\(\s*[|&!]|\)\s*[|&]\s*\(|\*\)\s*\(/,
    ')',
  ),
  viewRule(
    { ...base, id: 'WAF_GENERIC_010', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'XML external entity declaration (<!ENTITY x SYSTEM …>)' },
    (field) => field.lower,
    /<!entity\s+(?:%\s*)?[\w.-]+\s+(?:system|public)\b|<!doctype\s+\w+\s*(?:system|public|\[)/,
    '<',
  ),
  viewRule(
    { ...base, id: 'WAF_GENERIC_011', paranoia: 1, targets: ARGS, description: 'data: URI carrying text, markup or a script rather than an image' },
    (field) => field.lower,
    /^\s*data:\/{0,2}(?:text\/(?:plain|html|xml|javascript|x-php)|application\/(?:x-(?:httpd-)?php|javascript|xhtml\+xml|x-sh|x-shellscript))[;,]/,
    ':',
  ),
  viewRule(
    { ...rfi, id: 'WAF_RFI_001', paranoia: 1, targets: ARGS, description: 'Remote file inclusion: URL argument addressing a host by IP literal' },
    (field) => field.lower,
    /^\s*(?:file|ftps?|https?):\/\/(?:(?:\d{1,3}\.){3}\d{1,3}|\[?[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\]?)(?:[:/]|$)/,
    ':',
  ),
  {
    ...rfi,
    id: 'WAF_RFI_002',
    paranoia: 1,
    description: 'Remote file inclusion: URL in an argument named like an include path (…_path=, …_dir=, include=)',
    targets: [FIELD_KINDS.arg],
    scope: 'field',
    context: true,
    match: (field) => field.lower.includes('://') && /^\s*(?:https?|ftps?):\/\//.test(field.lower) && /(?:path|dir|root|include|inc|file|template|tpl|module|lib)$/i.test(field.pointer),
  },
  viewRule(
    { ...rfi, id: 'WAF_RFI_003', paranoia: 1, targets: ARGS, description: 'Remote file inclusion: URL ending in ? (to cut off an appended suffix)' },
    (field) => field.lower.trim(),
    /^(?:file|ftps?|https?)(?::\/\/[^?\s]*)?\?+$/,
    '?',
  ),
  viewRule(
    { ...rfi, id: 'WAF_RFI_004', paranoia: 2, targets: PATH, description: 'Remote file inclusion: absolute URL inside the request path' },
    (field) => field.decodedLower,
    /\/(?:https?|ftps?|file):\/{1,2}\w/,
    ':',
  ),
];
