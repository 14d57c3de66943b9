import { maskOf, NON_ASCII } from '../request/char-mask.js';
import type { Field } from '../request/field.js';
import { detectShell, type ShellFinding } from './shell-detector.js';
import { detectSqli, type SqliFinding } from './sqli-detector.js';
import { detectXss, XSS_FINDINGS, type XssFinding } from './xss-detector.js';

// Several rules read the same detector output for a field (one tokenization,
// many rule ids), so each detector runs at most once per field; the result
// lives on the field itself (a WeakMap per request costs more than the work).
/** Any tag that only appears once the high bit is dropped is an encoding attack, whatever its name. */
const SEVEN_BIT_TAG = /<\/?[a-z][^<>]{0,100}>/;


export function sqliFindings(field: Field): ReadonlySet<SqliFinding> {
  return (field.detections.sqli ??= detectSqli(field.text)) as ReadonlySet<SqliFinding>;
}

/** Every XSS construct needs one of these (see xss-detector.ts); 8-bit text is checked for 7-bit folding. */
const XSS_TRIGGERS = maskOf('<=:(`.[+-@#]') | NON_ASCII;
const NONE: ReadonlySet<never> = new Set<never>();

export function xssFindings(field: Field): ReadonlySet<XssFinding> {
  if ((field.mask & XSS_TRIGGERS) === 0) return NONE;
  let found = field.detections.xss as Set<XssFinding> | undefined;
  if (found === undefined) {
    found = detectXss(field.lower);
    // US-ASCII 7-bit folding (`\xbcscript\xbe` is `<script>` to a backend that drops
    // the high bit) only matters for tags; applying it to everything would turn
    // accented prose into noise.
    const stripped = field.highBitStripped?.toLowerCase();
    if (stripped !== undefined && (detectXss(stripped).has(XSS_FINDINGS.dangerousTag) || (SEVEN_BIT_TAG.test(stripped) && !SEVEN_BIT_TAG.test(field.lower)))) {
      found.add(XSS_FINDINGS.dangerousTag);
    }
    field.detections.xss = found;
  }
  return found;
}

export function shellFindings(field: Field): ReadonlySet<ShellFinding> {
  return (field.detections.shell ??= detectShell(field.lower)) as ReadonlySet<ShellFinding>;
}
