import { xssFindings } from '../detectors/detection-cache.js';
import { XSS_FINDINGS, type XssFinding } from '../detectors/xss-detector.js';
import { RULE_CATEGORIES, type FieldRule, type ParanoiaLevel } from './rule.js';
import { EVERYWHERE } from './targets.js';

function findingRule(id: string, description: string, findings: readonly XssFinding[], paranoia: ParanoiaLevel = 1): FieldRule {
  return {
    id,
    category: RULE_CATEGORIES.xss,
    severity: 'critical',
    paranoia,
    description,
    targets: EVERYWHERE,
    scope: 'field',
    match: (field) => {
      const found = xssFindings(field);
      return findings.some((finding) => found.has(finding));
    },
  };
}

/** Cross-site scripting (CRS REQUEST-941), all from the HTML/JS context scanner. */
export const XSS_RULES: readonly FieldRule[] = [
  findingRule('WAF_XSS_001', 'XSS: script-capable or markup-injecting tag (script, iframe, svg, object, form…)', [XSS_FINDINGS.dangerousTag]),
  findingRule('WAF_XSS_002', 'XSS: event handler attribute (on…=)', [XSS_FINDINGS.eventHandler]),
  findingRule('WAF_XSS_003', 'XSS: script URI (javascript:, vbscript:, data:text/html)', [XSS_FINDINGS.scriptUri]),
  findingRule('WAF_XSS_004', 'XSS: attribute or CSS that loads or runs content (srcdoc, formaction, xmlns, expression(, -moz-binding)', [XSS_FINDINGS.dangerousAttribute, XSS_FINDINGS.cssScript]),
  findingRule('WAF_XSS_005', 'XSS: call of a script sink or DOM global (alert(, eval(, document.cookie)', [XSS_FINDINGS.scriptSink]),
  findingRule('WAF_XSS_006', 'XSS: obfuscated script (JSFuck, template-literal calls, UTF-7, JScript.Encode)', [XSS_FINDINGS.obfuscation]),
  findingRule('WAF_XSS_007', 'XSS: a bare comment or CDATA terminator (-->) used to break out of markup', [XSS_FINDINGS.commentBreakout], 2),
];
