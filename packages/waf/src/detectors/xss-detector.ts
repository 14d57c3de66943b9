import { stripCodeComments } from '../transforms/strip-comments.js';

/**
 * An HTML/JavaScript context scanner for cross-site scripting, in the spirit
 * of libinjection's XSS check: it looks for the constructs a browser would
 * execute (a script-capable tag, an event-handler attribute, a script URI,
 * a call of a sink) rather than for fixed payload strings. Works on a value
 * that has already been URL/entity/JS decoded and lower-cased.
 */
export const XSS_FINDINGS = {
  /** A tag that runs or loads script or markup: script, iframe, svg, object, embed… */
  dangerousTag: 'dangerous-tag',
  /** An `on…=` event handler in attribute position. */
  eventHandler: 'event-handler',
  /** `javascript:`, `vbscript:`, `livescript:`, `data:text/html` in a value. */
  scriptUri: 'script-uri',
  /** Attributes that load or run content: srcdoc, formaction, xlink:href, xmlns, style with url(javascript). */
  dangerousAttribute: 'dangerous-attribute',
  /** Calls of script sinks and DOM globals: alert(, eval(, document.cookie, setTimeout(… */
  scriptSink: 'script-sink',
  /** Script written to survive filters: JSFuck, template-literal calls, UTF-7, JScript.Encode. */
  obfuscation: 'obfuscation',
  /** CSS that runs script: expression(, -moz-binding, behavior:, @import. */
  cssScript: 'css-script',
  /** A value that is only a comment or CDATA terminator (`-->`): a probe for breaking out of markup. */
  commentBreakout: 'comment-breakout',
} as const;
export type XssFinding = (typeof XSS_FINDINGS)[keyof typeof XSS_FINDINGS];

/** Tags that run script or pull in active content whatever their attributes. */
const ALWAYS_DANGEROUS = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math', 'vmlframe', 'xss', 'xml',
  'import', 'importimplementation', 'base', 'meta', 'link', 'style', 'isindex', 'noscript', 'xmp', 'plaintext',
  'template', 'portal', 'bgsound', 'layer', 'ilayer', 'handler', 'listener', 'set', 'animate',
]);
/** Tags that are dangerous when injected as markup (forms, media with handlers). Need no space after `<`. */
const MARKUP_TAGS = new Set([
  'img', 'image', 'form', 'input', 'button', 'textarea', 'select', 'option', 'video', 'audio', 'source', 'track',
  'body', 'html', 'marquee', 'details', 'dialog', 'a', 'div', 'span', 'p', 'table', 'td', 'tr', 'title', 'keygen',
  'menu', 'menuitem', 'picture', 'canvas', 'object', 'area', 'map', 'head', 'font', 'label', 'fieldset', 'legend',
]);

const TAG_AFTER_LT = /<[\s/!?:]*(?:([a-z][\w-]*)\s*:\s*)?([a-z][\w-]*)/g;
const SPACED_LETTERS = /<\W{0,3}((?:[a-z]\W{1,3}){3,11}[a-z])\b/g;
const EVENT_HANDLER = /(?:^|[\s"'`;/0-9=,(])on[a-z]{3,40}[\s\u000b;,(]*=(?:$|[^=])/;
// Browsers drop tabs, newlines and other controls inside a scheme name (`java\tscript:`).
const SCRIPT_URI = /(?:j[\s\x00-\x1f\\]{0,3}a[\s\x00-\x1f\\]{0,3}v[\s\x00-\x1f\\]{0,3}a|v[\s\x00-\x1f\\]{0,3}b|l[\s\x00-\x1f\\]{0,3}i[\s\x00-\x1f\\]{0,3}v[\s\x00-\x1f\\]{0,3}e|e[\s\x00-\x1f\\]{0,3}c[\s\x00-\x1f\\]{0,3}m[\s\x00-\x1f\\]{0,3}a)[\s\x00-\x1f\\]{0,3}s[\s\x00-\x1f\\]{0,3}c[\s\x00-\x1f\\]{0,3}r[\s\x00-\x1f\\]{0,3}i[\s\x00-\x1f\\]{0,3}p[\s\x00-\x1f\\]{0,3}t[\s\x00-\x1f]{0,8}:/;
const DATA_HTML = /\bdata\s*:\s*(?:text\/html|application\/(?:x-)?javascript|text\/javascript|image\/svg\+xml)/;
const DANGEROUS_ATTRIBUTE = /<[^<>]{0,200}?\b(?:srcdoc|formaction|xlink:href|xmlns(?::\w+)?|pattern|dynsrc|lowsrc|datasrc|language|fscommand|seeksegmenttime)\s*=/;
const STYLE_URL = /(?:url|image-set)\s*\(\s*['"]?\s*(?:(?:javascript|vbscript)\b|data\s*:)/;
// `expression(` and `behavior: url(` without the prose spacing ("freedom of expression (…)").
const CSS_SCRIPT = /(?:\bexpression\(|-moz-binding\s*:|\bbehavior\s*:\s*url\s*\(|@import\s*['"(u])/;
const SINK_CALL = /(?:\b(?:alert|prompt|confirm)\s*(?:\(|`)|\b(?:eval|settimeout|setinterval|execscript|atob|btoa|fromcharcode|decodeuricomponent|unescape)\s*\(|\bnew\s+function\s*\(|\bfunction\s*\(\s*\)\s*\{|\bimport\s*\(\s*['"`])/;
const DOM_GLOBAL = /\b(?:document|window|self|top|parent|frames|globalthis|this)\s*(?:\.\s*|\[\s*['"`]\s*)(?:cookie|domain|location|write(?:ln)?|queryselector(?:all)?|getelementby\w*|body|documentelement|localstorage|sessionstorage|opener|alert|eval|createelement|innerhtml|outerhtml|origin|name)\b/;
const GLOBAL_INDEX = /\b(?:self|top|parent|window|frames|globalthis)\s*\[\s*['"`]/;
const COMMENT_BREAKOUT = /^\s*(?:-->|--!>|<!--|\]\]>)\s*$/;
const LOCATION_SINK = /\b(?:location\s*\.\s*(?:href|hash|search|replace|assign)|\.innerhtml\s*=|\.outerhtml\s*=|\.insertadjacenthtml\s*\()/;
const JSFUCK = /(?:\(\s*!\s*\[\s*\]\s*\+\s*\[\s*\]\s*\)|!\s*\+\s*\[\s*\]|\[\s*\]\s*\[\s*\(\s*!\s*\[\s*\]|\+\s*!\s*\+\s*\[\s*\]|\[\s*!\s*\[\s*\]\s*\])/;
const TEMPLATE_CALL = /\.\s*(?:call|apply|bind|map|sort|filter|reduce|constructor)\s*`|`\s*\$\{\s*(?:alert|eval|prompt|confirm|constructor|navigation|location|document)\b/;
const UTF7 = /\+ad[w4]-|\+acc?i?-?\+ad[w4]-/;
const JSCRIPT_ENCODE = /#@~\^/;

function tagFindings(text: string, findings: Set<XssFinding>): void {
  if (!text.includes('<')) return;
  for (const match of text.matchAll(TAG_AFTER_LT)) {
    const whole = match[0];
    const name = match[2]!;
    const spaced = /^<[\s/!?]*\s/.test(whole) || whole.includes(':');
    if (ALWAYS_DANGEROUS.has(name)) {
      findings.add(XSS_FINDINGS.dangerousTag);
      return;
    }
    if (!spaced && MARKUP_TAGS.has(name)) {
      // Markup tags only count when they look like a real tag: attributes or a closing `>`.
      const rest = text.slice((match.index ?? 0) + whole.length, (match.index ?? 0) + whole.length + 200);
      if (/^\s*(?:\/?>|[\s/]+[a-z-]+\s*=)/.test(rest)) {
        findings.add(XSS_FINDINGS.dangerousTag);
        return;
      }
    }
  }
  // `<f o r m`, `<s c r i p t`: letters separated to slip past tag matchers.
  for (const match of text.matchAll(SPACED_LETTERS)) {
    const letters = match[1]!.replace(/[^a-z]/g, '');
    if (ALWAYS_DANGEROUS.has(letters) || MARKUP_TAGS.has(letters)) {
      findings.add(XSS_FINDINGS.dangerousTag);
      return;
    }
  }
}

/** Every XSS finding for one (decoded, lower-case) value. */
export function detectXss(text: string): Set<XssFinding> {
  const findings = new Set<XssFinding>();
  if (text.length === 0) return findings;
  tagFindings(text, findings);
  if (text.includes('=') && EVENT_HANDLER.test(text)) findings.add(XSS_FINDINGS.eventHandler);
  if (text.includes(':')) {
    if (SCRIPT_URI.test(text) || DATA_HTML.test(text)) findings.add(XSS_FINDINGS.scriptUri);
    if (STYLE_URL.test(text)) findings.add(XSS_FINDINGS.cssScript);
  }
  if (text.includes('<') && text.includes('=') && DANGEROUS_ATTRIBUTE.test(text)) findings.add(XSS_FINDINGS.dangerousAttribute);
  if (CSS_SCRIPT.test(text)) findings.add(XSS_FINDINGS.cssScript);
  if (text.includes('(') || text.includes('`')) {
    if (SINK_CALL.test(text)) findings.add(XSS_FINDINGS.scriptSink);
  }
  if (text.includes('.') || text.includes('[')) {
    const withoutComments = text.includes('/*') ? stripCodeComments(text, false) : text;
    if (DOM_GLOBAL.test(withoutComments) || LOCATION_SINK.test(withoutComments) || GLOBAL_INDEX.test(withoutComments)) findings.add(XSS_FINDINGS.scriptSink);
    if (JSFUCK.test(text) || TEMPLATE_CALL.test(withoutComments)) findings.add(XSS_FINDINGS.obfuscation);
  }
  if (text.includes('`') && TEMPLATE_CALL.test(text)) findings.add(XSS_FINDINGS.obfuscation);
  if (text.includes('+ad') && UTF7.test(text)) findings.add(XSS_FINDINGS.obfuscation);
  if (JSCRIPT_ENCODE.test(text)) findings.add(XSS_FINDINGS.obfuscation);
  if (text.length < 12 && COMMENT_BREAKOUT.test(text)) findings.add(XSS_FINDINGS.commentBreakout);
  return findings;
}
