import { shellFindings } from '../detectors/detection-cache.js';
import { SHELL_FINDINGS, type ShellFinding } from '../detectors/shell-detector.js';
import { RULE_CATEGORIES, viewRule, type FieldRule, type ParanoiaLevel } from './rule.js';
import { ARGS, ARGS_AND_HEADERS } from './targets.js';

function findingRule(id: string, description: string, findings: readonly ShellFinding[], paranoia: ParanoiaLevel = 1): FieldRule {
  return {
    id,
    category: RULE_CATEGORIES.rce,
    severity: 'critical',
    paranoia,
    description,
    targets: ARGS_AND_HEADERS,
    scope: 'field',
    match: (field) => {
      const found = shellFindings(field);
      return findings.some((finding) => found.has(finding));
    },
  };
}

const base = { category: RULE_CATEGORIES.rce, severity: 'critical' } as const;

/** Remote command execution (CRS REQUEST-932). */
export const RCE_RULES: readonly FieldRule[] = [
  findingRule('WAF_RCE_001', 'Command injection: a program run in command position (after a separator, or with command-line arguments)', [SHELL_FINDINGS.command, SHELL_FINDINGS.evasion]),
  findingRule('WAF_RCE_002', 'Command injection: shell substitution or expansion ($(…), backticks, ${…}, <(…), globs, braces)', [SHELL_FINDINGS.substitution, SHELL_FINDINGS.expansion]),
  findingRule('WAF_RCE_003', 'Command injection: binary addressed by path or reverse shell (/bin/sh, /dev/tcp, | sh)', [SHELL_FINDINGS.binaryPath, SHELL_FINDINGS.reverseShell]),
  findingRule('WAF_RCE_004', 'Command injection: shell function definition (Shellshock, fork bomb)', [SHELL_FINDINGS.functionDefinition]),
  findingRule('WAF_RCE_005', 'Command injection: Windows batch or PowerShell syntax (FOR /F … DO, IF EXIST, cmd /c, Invoke-WebRequest)', [SHELL_FINDINGS.windows]),
  findingRule('WAF_RCE_006', 'Command injection: alias definition or SQLite shell command', [SHELL_FINDINGS.alias, SHELL_FINDINGS.sqliteShell]),
  findingRule('WAF_RCE_007', 'Mail protocol command injection (CR/LF followed by SMTP, POP3 or IMAP verbs)', [SHELL_FINDINGS.mailInjection], 2),
  viewRule(
    { ...base, id: 'WAF_RCE_008', paranoia: 1, targets: ARGS_AND_HEADERS, description: 'Server-side include directive (<!--#exec, <!--#include)' },
    (field) => field.lower,
    /<!--\s*#\s*(?:exec|include|echo|config|set|printenv|fsize|flastmod)\b/,
    '<',
  ),
  viewRule(
    { ...base, id: 'WAF_RCE_009', paranoia: 1, targets: ARGS, description: 'Shell tilde or history expansion as a whole value (~+, ~-1, !-1)' },
    (field) => field.text,
    /^\s*~[+-]\d*\s*$|(?:^|[\s;&|])!-\d+/,
    '~!',
  ),
];
