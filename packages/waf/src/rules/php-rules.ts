import type { Field } from '../request/field.js';
import { stripCodeComments } from '../transforms/strip-comments.js';
import { RULE_CATEGORIES, viewRule, type FieldRule } from './rule.js';
import { ARGS, ARGS_AND_HEADERS, EVERYWHERE, FILE_NAMES } from './targets.js';

const codeViews = new WeakMap<Field, string>();

/** Lower-case text with PHP/C comments removed (`exec/*x*\/(`, `exec #x\n(`), as PHP's lexer would. */
function phpCode(field: Field): string {
  let code = codeViews.get(field);
  if (code === undefined) {
    const text = field.lower;
    code = text.includes('/*') || text.includes('#') || text.includes('//') ? stripCodeComments(text) : text;
    codeViews.set(field, code);
  }
  return code;
}

/** Functions a request never names except to run code: matched with any spacing before the call. */
const DISTINCTIVE = [
  'base64_decode', 'gzinflate', 'gzdecode', 'gzuncompress', 'zlib_decode', 'str_rot13', 'strrev', 'call_user_func(?:_array)?',
  'create_function', 'shell_exec', 'proc_open', 'popen', 'passthru', 'pcntl_\\w+', 'posix_\\w+', 'assert_options',
  'get_defined_(?:vars|functions|constants)', 'file_(?:get|put)_contents', 'file_exists', 'fsockopen', 'pfsockopen',
  'move_uploaded_file', 'phpinfo', 'ini_(?:set|get|restore)', 'set_include_path', 'preg_replace(?:_callback)?',
  'array_(?:map|filter|walk|reduce)', 'u[ak]?sort', 'register_(?:shutdown|tick)_function', 'unserialize', 'highlight_file',
  'show_source', 'php_uname', 'getenv', 'putenv', 'escapeshell(?:cmd|arg)', 'strip_tags', 'intval', 'hex2bin',
  'convert_uudecode', 'parse_str', 'import_request_variables', 'curl_(?:exec|init)', 'stream_socket_client', 'fwrite', 'fputs',
  'readfile', 'mb_ereg_replace', 'apache_\\w+', 'var_dump', 'print_r', 'base64_encode', 'gzcompress',
];
/** Everyday words: only a call written as code counts (`system(`, not "the system (v2)"). */
const PLAIN = ['system', 'exec', 'eval', 'assert', 'printf', 'print', 'echo', 'unpack', 'include(?:_once)?', 'require(?:_once)?'];
/** Of those, the ones attackers space out (`exec\t(…)`, `exec /*x*\/ (…)`): spacing allowed before code-like arguments. */
const SPACED = ['exec', 'eval', 'assert'];

const base = { category: RULE_CATEGORIES.php, severity: 'critical' } as const;

/** PHP injection (CRS REQUEST-933). */
export const PHP_RULES: readonly FieldRule[] = [
  viewRule(
    { ...base, id: 'WAF_PHP_001', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'PHP open tag or BBCode-style PHP block (<?php, <?=, <? , [php])' },
    (field) => field.lower,
    /<\?(?:php|=|\s|$)|<\?(?!xml\s+version\b)[a-z]|[[{]\\?\/?php[\]}]/,
    '<[{',
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_002', paranoia: 1, targets: FILE_NAMES, description: 'Upload of a server-side script (.php, .phtml, .phar, .jsp, .asp…)' },
    (field) => field.decodedLower.replace(/\s+/g, ''),
    /\.(?:php\d*|phtml|phar|phps|pht|pgif|inc|jspx?|jspf|jsw|jsv|asp|aspx|ascx|ashx|asmx|asa|cer|cfm|cgi|pl|shtml|htaccess)\.*$/,
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_003', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'PHP configuration directive (allow_url_include=, auto_prepend_file=, session.*=)' },
    (field) => field.lower,
    /(?:^|[\s;&\n])(?:allow_url_(?:include|fopen)|auto_(?:prepend|append)_file|disable_(?:functions|classes)|open_basedir|extension(?:_dir)?|zend_extension|include_path|safe_mode\w*|register_globals|sendmail_(?:path|from)|smtp(?:_port)?|error_log|log_errors|display_(?:startup_)?errors|file_uploads|upload_tmp_dir|memory_limit|max_execution_time|short_open_tag|expose_php|phar\.readonly|(?:session|mbstring|opcache|xdebug|assert|mail|pcre|suhosin)\.[a-z_.]+)\s*=/,
    '=',
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_004', paranoia: 1, targets: EVERYWHERE, description: 'PHP superglobal or variable-variable access ($_GET, $GLOBALS, ${…})' },
    (field) => field.lower,
    /\$_(?:server|get|post|files|cookie|session|request|env)\b|\$globals\b|\$http_(?:get|post|cookie|server|env|session)_vars\b|\$\s*\{\s*['"$@_a-z]/,
    '$',
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_005', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'PHP stream wrapper (php://input, phar://, zip://, expect://, data://)' },
    (field) => field.lower,
    /\b(?:php:\/\/(?:stdin|stdout|stderr|input|output|fd|memory|temp|filter)|(?:compress\.(?:zlib|bzip2)|zip|zlib|phar|ssh2\.(?:shell|exec|tunnel|scp|sftp)|glob|expect|rar|ogg):\/\/|data:\/\/)/,
    ':',
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_006', paranoia: 1, targets: EVERYWHERE, description: 'Call of a high-risk PHP function (eval, system, base64_decode, gzinflate…)' },
    phpCode,
    new RegExp(
      `(?:${DISTINCTIVE.join('|')})\\s*=?\\s*\\(|(?:^|[^a-z0-9_])(?:${PLAIN.join('|')})\\(|(?:^|[^a-z0-9_])(?:${SPACED.join('|')})\\s+\\(\\s*(?:['"$)]|[a-z_]\\w*\\s*\\))|["'(]\\s*(?:system|exec|passthru|shell_exec|eval|assert|popen|proc_open|phpinfo)\\s*["')]+\\s*\\(`,
    ),
    '(',
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_007', paranoia: 2, targets: EVERYWHERE, description: 'Call of a snake_case function (PHP and C library names such as gethostbyname(, ldap_get_entries()' },
    phpCode,
    /(?:^|[^a-z0-9_$])[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\s*\(/,
    '(',
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_008', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'PHP serialized object (O:8:"stdClass":…)' },
    (field) => field.text,
    /\b[oOcC]:\+?\d+:"[\w\\]+":\+?\d+:\{/,
    ':',
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_009', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'PHP variable function call ($f(…), $a[\'x\'](…), ${…}(…))' },
    phpCode,
    // `(?<!\$)`: a run of `$` is tried once, not from each of its characters (quadratic otherwise).
    /@?(?<!\$)\$+\s*(?:[a-z_]\w*|\{[^{}]{0,40}\})(?:\s*(?:\[[^[\]]{0,40}\]|\{[^{}]{0,40}\}|->\s*\w+))*(?:\(|[ \t]{0,8}[\r\n][ \t\r\n]{0,8}\(|\s{1,3}\(\s*\d)|(?:::|->)\s*\$\w+\s*\(/,
    '$',
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_010', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'PHP call of a computed callee ((sys.tem)(…);, "system"(…), [system][0](…);)' },
    phpCode,
    /[)\]}"']\s*\(\s*(?:['"][^'"]{0,60}['"]|[\w\s./-]{0,40})\s*\)\s*;/,
    '(',
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_013', paranoia: 2, targets: ARGS, description: 'A bare function call as the whole value (gethostbyname(, tidy_parse_string())' },
    // Trimmed first: `\s*\(\s*\)?\s*;?\s*$` would backtrack cubically over a run of spaces.
    (field) => (field.lower.length <= 64 ? field.lower.trim() : undefined),
    /^[a-z_][a-z0-9_]{2,40} ?\( ?\)? ?;?$/,
    '(',
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_011', paranoia: 1, targets: FILE_NAMES, description: 'Upload of a PHP session file (sess_…)' },
    (field) => field.decodedLower,
    /(?:^|\/)sess_[a-z0-9,-]{16,}$/,
  ),
  viewRule(
    { ...base, id: 'WAF_PHP_012', paranoia: 1, targets: ARGS, description: 'PHP code injection through arguments of a PHP function list (eval of a concatenation)' },
    (field) => field.lower,
    /(?:['"][a-z]{1,6}['"]\s*\.\s*){2,}['"][a-z]{1,6}['"]|\bdefine\s*\(\s*['"]\w+['"]\s*,/,
    `'"(`,
  ),
];
