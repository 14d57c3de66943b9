import type { Field } from '../request/field.js';
import { RULE_CATEGORIES, viewRule, type FieldRule } from './rule.js';
import { EVERYWHERE, FILE_NAMES, PATH } from './targets.js';

/** Backslashes as slashes, runs of slashes as one: how Windows and lenient servers read a path. */
function slashed(field: Field): string {
  const text = field.decodedLower;
  return text.includes('\\') || text.includes('//') ? text.replace(/\\/g, '/').replace(/\/{2,}/g, '/') : text;
}

const base = { category: RULE_CATEGORIES.lfi, severity: 'critical' } as const;

/** Local file inclusion and path traversal (CRS REQUEST-930). */
export const LFI_RULES: readonly FieldRule[] = [
  viewRule(
    { ...base, id: 'WAF_LFI_001', paranoia: 1, targets: EVERYWHERE, description: 'Path traversal: dot-dot segment (../, ..\\, ..;, encoded and overlong forms)' },
    (field) => field.decodedLower,
    /(?:^|[\\/;=\s'"(:])\.{2,}[\\/;]|[\\/]\.{2,}(?:[\\/;]|$)|0x2e0x2e|0x5c0x2e|0x2f0x2e|\.\.0x(?:2f|5c)/,
    '.0',
  ),
  viewRule(
    { ...base, id: 'WAF_LFI_002', paranoia: 1, targets: EVERYWHERE, description: 'Access to a sensitive operating-system or application file (/etc/passwd, /proc/self, .ssh/id_rsa, win.ini…)' },
    slashed,
    /(?:^|[/\s'"=:;(<>|])(?:etc\/(?:passwd|shadow|group|gshadow|hosts|issue|sudoers|crontab|fstab|motd|resolv\.conf|hostname|subuid|subgid|environment|profile|bashrc|apache2|httpd|nginx|mysql|ssh\/|ssl\/|security|pam\.d|sysctl|inittab|os-release|lsb-release|shells|machine-id)|proc\/(?:self|\d+\/|version|cmdline|environ|mounts|net\/|sys\/|cpuinfo|meminfo|interrupts|kcore|sched_debug|modules|kallsyms)|sys\/(?:class|kernel|devices|module|power|block|bus|firmware)\b|root\/\.|var\/log\/|var\/run\/secrets|var\/lib\/(?:mysql|postgresql)|windows\/(?:system32|win\.ini|system\.ini|repair|debug|panther)|winnt\/|system32\/|inetpub\/|\.ssh\/(?:id_\w+|authorized_keys|known_hosts|config)|\.aws\/(?:credentials|config)|\.git\/(?:config|head|index|logs)|\.docker\/config|\.kube\/config|\.(?:bash|zsh|mysql|psql|python)_history|\.htpasswd|\.htaccess|\.npmrc|\.netrc|\.pgpass|web\.config|wp-config\.php|boot\.ini|win\.ini|id_(?:rsa|dsa|ecdsa|ed25519)\b|authorized_keys|apache2?\.conf|httpd\.conf|nginx\.conf|php\.ini|my\.cnf)|\b(?:backup|dump|database|db|site|www|htdocs|wwwroot)\.(?:sql|tar|tgz|zip|rar|7z|gz|bak)\b/,
    './\\',
  ),
  viewRule(
    { ...base, id: 'WAF_LFI_003', paranoia: 1, targets: PATH, description: 'Request for a hidden file or dev-server internals (dotfiles, /@fs/, /@id/)' },
    (field) => field.decodedLower,
    // Dot-segments other than /.well-known (RFC 8615) are configuration, VCS or
    // editor/assistant state (.env, .git, .aws, .cursor, .aider…), never API resources.
    /\/\.(?!well-known\/)(?!\.?(?:\/|$))[^/]|\/@(?:fs|id|vite)\//,
    '/',
  ),
  viewRule(
    { ...base, id: 'WAF_LFI_004', paranoia: 1, targets: FILE_NAMES, description: 'Upload of a server or application configuration file (.htaccess, web.config, wp-config, config.yml, .env)' },
    (field) => field.decodedLower.trim().replace(/^.*[\\/]/, ''),
    /^(?:\.htaccess|\.htpasswd|\.user\.ini|web\.config|php\.ini|httpd\.conf|nginx\.conf|wp-config[\w.-]*|(?:config|settings|secrets|credentials|application|database)\.(?:ya?ml|json|php|ini|xml|toml|properties|py|js)|\.env(?:\.[\w-]+)?|docker-compose\.ya?ml|authorized_keys|id_(?:rsa|dsa|ecdsa|ed25519)|\.bashrc|\.profile|crontab)$/,
  ),
];
