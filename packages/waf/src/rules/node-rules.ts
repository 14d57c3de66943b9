import { maskOf } from '../request/char-mask.js';
import type { Field } from '../request/field.js';
import { RULE_CATEGORIES, viewRule, type FieldRule } from './rule.js';
import { ARGS, ARGS_AND_HEADERS } from './targets.js';

const NODE_INJECTION =
  /_\$\$nd_func\$\$_|\b__js_function\b|\bthis\s*\.\s*constructor\s*\.\s*constructor\b|\bconstructor\s*\.\s*constructor\s*\(|\bprocess\s*(?:\.\s*(?:env|mainmodule|binding|dlopen|kill|exit|chdir|cwd)\b|\[\s*['"`]?\s*(?:mainmodule|binding|env|req)\b)|\bglobal\s*\.\s*process\b|\brequire\s*\(\s*['"`](?:child_process|fs|vm|net|http|os|process)['"`]\s*\)|\brequire\s*\.\s*main\b|\bchild_process\b|\bmodule\s*\.\s*constructor\s*\.\s*_load\b|\bconsole\s*(?:\.\s*\w+|\[\s*['"`]\w+['"`]\s*\])\s*\(|\$\d+:(?:__proto__|constructor|prototype)\b|"then"\s*:\s*"\$\d|\b(?:spawn|execsync|execfile|spawnsync)\s*\(/;
const PROTOTYPE_PATH = /\bconstructor\s*(?:\.|\]?\s*\[\s*['"]?|\/)\s*prototype\b/;
const INFINITE_LOOP = /\bwhile\s*\(\s*[^()]{0,30}(?:\([^()]{0,20}\)[^()]{0,10})?\)\s*(?:;|\{\s*\}|\)|$)/;
const NODE_TRIGGERS = maskOf('._([$:"');

/** The value, and its base64 decoding when it is one (node-serialize payloads travel base64-encoded). */
function nodeMatch(field: Field, pattern: RegExp): boolean {
  if ((field.mask & NODE_TRIGGERS) !== 0 && pattern.test(field.lower)) return true;
  const base64 = field.base64;
  return base64 !== undefined && pattern.test(base64.toLowerCase());
}

const base = { category: RULE_CATEGORIES.node, severity: 'critical' } as const;

/** Node.js injection, prototype pollution and event-loop DoS (CRS 934100, 934101, 934130, 934160). */
export const NODE_RULES: readonly FieldRule[] = [
  {
    ...base,
    id: 'WAF_NODE_001',
    paranoia: 1,
    targets: ARGS_AND_HEADERS,
    description: 'Node.js code injection (process.mainModule, require("child_process"), node-serialize _$$ND_FUNC$$_, constructor.constructor)',
    scope: 'field',
    match: (field) => nodeMatch(field, NODE_INJECTION),
  },
  {
    ...base,
    id: 'WAF_NODE_002',
    paranoia: 1,
    targets: ARGS,
    description: 'JavaScript prototype pollution (__proto__, constructor.prototype, constructor[prototype])',
    scope: 'field',
    context: true,
    match: (field) => {
      const lower = field.lower;
      if (lower.includes('__proto__')) return true;
      // Names also carry their JSON pointer: {"constructor":{"prototype":…}} is /constructor/prototype.
      const pointer = field.kind === 'arg-name' || field.kind === 'cookie-name' ? field.pointer.toLowerCase() : '';
      if (!lower.includes('prototype') && !pointer.includes('prototype')) return false;
      return PROTOTYPE_PATH.test(lower) || PROTOTYPE_PATH.test(pointer);
    },
  },
  {
    ...base,
    id: 'WAF_NODE_003',
    paranoia: 1,
    targets: ARGS_AND_HEADERS,
    description: 'JavaScript infinite loop (event-loop denial of service: while(true), while(!false)…)',
    scope: 'field',
    match: (field) => nodeMatch(field, INFINITE_LOOP),
  },
  viewRule(
    { ...base, id: 'WAF_NODE_004', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'JavaScript function literal in data (function() {…)' },
    (field) => field.lower,
    /\bfunction\s*\w*\s*\(\s*[\w\s,]{0,40}\)\s*\{/,
    '(',
  ),
];
