import { GENERIC_RULES } from './generic-rules.js';
import { JAVA_RULES } from './java-rules.js';
import { LFI_RULES } from './lfi-rules.js';
import { NODE_RULES } from './node-rules.js';
import { PHP_RULES } from './php-rules.js';
import { protocolRules, type ProtocolPolicy } from './protocol-rules.js';
import { RCE_RULES } from './rce-rules.js';
import type { WafRule } from './rule.js';
import { SCANNER_RULES, SESSION_RULES } from './session-scanner-rules.js';
import { SQLI_RULES } from './sqli-rules.js';
import { XSS_RULES } from './xss-rules.js';

/** Every rule, protocol rules first (cheap, and they decide what the others can trust). */
export function buildRuleSet(policy: ProtocolPolicy): readonly WafRule[] {
  const rules: WafRule[] = [
    ...protocolRules(policy),
    ...SCANNER_RULES,
    ...SQLI_RULES,
    ...XSS_RULES,
    ...LFI_RULES,
    ...RCE_RULES,
    ...PHP_RULES,
    ...JAVA_RULES,
    ...NODE_RULES,
    ...GENERIC_RULES,
    ...SESSION_RULES,
  ];
  const ids = new Set<string>();
  for (const rule of rules) {
    if (!/^WAF_[A-Z]+_\d{3}$/.test(rule.id)) throw new Error(`WAF rule id ${rule.id} must look like WAF_<AREA>_<NNN>`);
    if (ids.has(rule.id)) throw new Error(`WAF rule id ${rule.id} is declared twice`);
    ids.add(rule.id);
  }
  return rules;
}
