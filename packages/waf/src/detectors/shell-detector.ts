/**
 * Command injection by reading a value the way a shell would: undo the
 * quoting tricks that split a command name (`c''at`, `c\at`, `c$@at`,
 * `${IFS}`), cut it into simple commands at shell separators, and ask of
 * each one whether its first word is a program an attacker runs, with
 * arguments that look like a command line. Everyday words that are also
 * commands (`cat`, `time`, `at`, `id`) need that evidence; names no prose
 * uses (`whoami`, `ifconfig`, `wget`) do not.
 */
export const SHELL_FINDINGS = {
  /** A known command in command position. */
  command: 'command',
  /** Command or process substitution, arithmetic expansion, here-strings: `$(…)`, backticks, `<(…)`, `$[…]`, `<<<`. */
  substitution: 'substitution',
  /** Quoting, escaping or empty expansions inside a command name. */
  evasion: 'evasion',
  /** `() {` function definitions (Shellshock, fork bombs). */
  functionDefinition: 'function-definition',
  /** /dev/tcp redirections, `nc -e`, interactive shells. */
  reverseShell: 'reverse-shell',
  /** Globs and brace expansion standing in for a path or command: `/etc/pa[s]swd`, `{,ifconfig}`. */
  expansion: 'expansion',
  /** A binary addressed by its path: `/bin/sh`, `/usr/bin/perl`. */
  binaryPath: 'binary-path',
  /** `alias x=…` defining a command to run next. */
  alias: 'alias',
  /** Windows cmd and PowerShell: FOR/IF batch syntax, cmdlets, system tools with switches. */
  windows: 'windows',
  /** CR/LF followed by SMTP, POP3 or IMAP verbs. */
  mailInjection: 'mail-injection',
  /** SQLite shell dot-commands (`.shell`, `.system`) after a separator. */
  sqliteShell: 'sqlite-shell',
} as const;
export type ShellFinding = (typeof SHELL_FINDINGS)[keyof typeof SHELL_FINDINGS];

/** Programs that are never ordinary words: their name in command position is enough. */
const UNAMBIGUOUS = new Set([
  'wget', 'lwp-download', 'lwp-request', 'lwp-mirror', 'aria2c', 'axel', 'w3m', 'ncat', 'netcat', 'socat', 'telnet',
  'ssh', 'ssh-copy-id', 'ssh-keygen', 'scp', 'sftp', 'rsync', 'tftp', 'smbclient', 'zsh', 'ksh', 'csh', 'tcsh', 'busybox',
  'python2', 'python3', 'pip', 'pip3', 'jshell', 'whoami', 'uname', 'ifconfig', 'ipconfig', 'netstat', 'lsof', 'chpasswd',
  'chmod', 'chown', 'chgrp', 'chattr', 'lsattr', 'useradd', 'adduser', 'usermod', 'userdel', 'deluser', 'groupadd', 'visudo',
  'sudo', 'doas', 'pkexec', 'crontab', 'nohup', 'setsid', 'systemctl', 'journalctl', 'telinit', 'base64', 'base32', 'xxd',
  'hexdump', 'uuencode', 'uudecode', 'openssl', 'gcc', 'g++', 'c89', 'c99', 'clang', 'gdb', 'strace', 'ltrace', 'valgrind',
  'objdump', 'readelf', 'ldd', 'vim', 'nvim', 'emacs', 'nano', 'pico', 'gawk', 'mawk', 'nawk', 'egrep', 'fgrep', 'rgrep',
  'zgrep', 'xargs', 'gunzip', 'bzip2', 'bunzip2', 'unxz', 'zstd', 'zstdcat', 'zcat', 'bzcat', 'xzcat', 'bsdtar', '7z',
  '7za', 'unrar', 'cpio', 'rmdir', 'mkfifo', 'mknod', 'shred', 'killall', 'pkill', 'pgrep', 'renice', 'umount', 'fdisk',
  'mkfs', 'losetup', 'iptables', 'ip6tables', 'nft', 'ufw', 'traceroute', 'tracepath', 'nslookup', 'whois', 'docker',
  'kubectl', 'podman', 'ansible', 'ansible-playbook', 'ansible-galaxy', 'ansible-doc', 'ansible-pull', 'ansible-config',
  'ansible-console', 'ansible-inventory', 'ansible-vault', 'chef-client', 'chef-shell', 'chef-solo', 'chef-vault',
  'chef-run', 'knife', 'terraform', 'vagrant', 'cscli', 'htop', 'btop', 'lastlog', 'printenv', 'unalias', 'ifdown', 'ifup',
  'iwconfig', 'nmcli', 'ethtool', 'tcpdump', 'tshark', 'nmap', 'masscan', 'powershell', 'pwsh', 'certutil', 'bitsadmin',
  'mshta', 'rundll32', 'regsvr32', 'wmic', 'regedit', 'bcdboot', 'bcdedit', 'schtasks', 'netsh', 'tasklist', 'taskkill',
  'systeminfo', 'vssadmin', 'wevtutil', 'icacls', 'takeown', 'cscript', 'wscript', 'msfconsole', 'msfvenom', 'sqlmap',
  'rmt', 'rmt-tar', 'tac', 'perl5', 'php7', 'php8', 'irb', 'tclsh', 'aptitude', 'apt-get', 'yum', 'dnf', 'zypper',
  'apk', 'dpkg', 'rpm', 'pacman', 'iwr', 'iex', 'tcpflow', 'passwd', 'getent', 'sysctl', 'modprobe', 'insmod', 'dmesg',
]);

/** Commands that are also words; they need command-line evidence (a flag, a path, a file, a separator). */
const EVERYDAY = new Set([
  'cat', 'at', 'time', 'date', 'sort', 'head', 'tail', 'more', 'less', 'find', 'cut', 'join', 'split', 'test', 'echo',
  'set', 'type', 'wait', 'watch', 'kill', 'who', 'file', 'make', 'top', 'last', 'tee', 'touch', 'fold', 'column', 'comm',
  'rev', 'paste', 'look', 'which', 'sleep', 'read', 'print', 'printf', 'dir', 'host', 'dig', 'ping', 'route', 'net',
  'service', 'mount', 'node', 'links', 'fetch', 'strings', 'history', 'export', 'source', 'locate', 'expect', 'java',
  'hostname', 'groups', 'sync', 'reset', 'clear', 'uptime', 'free', 'env', 'eval', 'exec', 'trap', 'alias', 'unset',
  'declare', 'curl', 'bash', 'sh', 'dash', 'fish', 'python', 'perl', 'ruby', 'php', 'lua', 'awk', 'sed', 'grep', 'tar',
  'zip', 'unzip', 'gzip', 'xz', 'rar', 'ls', 'll', 'ps', 'id', 'df', 'du', 'cd', 'cp', 'mv', 'rm', 'dd', 'ln', 'su',
  'nc', 'vi', 'ed', 'ex', 'od', 'nl', 'tr', 'bc', 'cc', 'w', 'mkdir', 'shutdown', 'reboot', 'halt', 'poweroff', 'perf',
  'lynx', 'finger', 'ftp', 'chef', 'puppet', 'salt', 'reg', 'sc', 'cmd', 'del', 'copy', 'move', 'ren', 'start', 'call',
  'systemd', 'init', 'wall', 'script', 'tmux', 'screen', 'nice', 'timeout', 'diff', 'patch', 'uniq', 'wc', 'stat',
  'readlink', 'realpath', 'basename', 'dirname', 'install', 'arp', 'ip', 'ss', 'last', 'whereis', 'man', 'info',
]);

/**
 * Programs whose bare name, alone as a whole value, is already an attack
 * probe (information gathering, privilege or power changes, interactive
 * shells). Other programs alone (`base64`, `lastlog`) are plausible data.
 */
const ALONE = new Set([
  'whoami', 'ifconfig', 'ipconfig', 'uname', 'netstat', 'visudo', 'shutdown', 'reboot', 'poweroff', 'halt', 'systeminfo',
  'tasklist', 'printenv', 'lsof', 'htop', 'chef-shell', 'zsh', 'ksh', 'csh', 'tcsh', 'busybox', 'powershell', 'pwsh',
  'msfconsole', 'nmap', 'sudo', 'doas', 'pkexec', 'dmesg', 'getent', 'sysctl',
]);

/** Words that run the command after them (`time ifconfig`, `nohup sh`). */
const PREFIXES = new Set(['time', 'nohup', 'sudo', 'nice', 'env', 'command', 'builtin', 'exec', 'strace', 'ltrace', 'doas', 'stdbuf', 'setsid', 'timeout']);

const SUBSTITUTION = /\$\(|\$\{[^}\s]{0,40}\}|[<>]\(|\$\[|<<</;
const BACKTICKS = /`([^`]{0,200})`/g;
const LEADING_BACKSLASH = /(?:^|[\s;|&`(])\\([a-z][\w-]*)/g;
const FUNCTION_DEFINITION = /\(\s*\)\s*\{/;
const REVERSE_SHELL = /\/dev\/(?:tcp|udp)\/|\b(?:nc|ncat|netcat)\b[^|;&]{0,40}\s-[a-z]*[ec]\b|\b(?:ba|z|k|c|da)?sh\s+-i\b|\|\s*(?:ba|z|k|c|da)?sh\b\s*(?:$|[;&|)`])|\bsh\s+-c\b|-e\s+\/bin\/(?:ba)?sh\b/;
const BINARY_PATH = /(?:^|[\s;|&`'"(=<>{,])\/(?:usr\/(?:local\/)?)?s?bin\/[a-z0-9_.+-]+|^s?bin\/[a-z0-9_.+-]+/;
const PATH_GLOB = /\/[^/\s[]{0,32}\[[!^]?[a-z0-9/_-]{1,12}\][^\s]{0,32}|\/[a-z?*]*[?*][a-z?*]*\/[a-z?*]*[?*]|\/\?{2,}/;
const BRACE = /\{\s*,|,\s*\}|[a-z]\{[a-z0-9]*,[a-z0-9,]*\}[a-z]/;
const ALIAS = /(?:^|[;&|\n`(])[ \t]{0,16}alias\s+(?:[+-][a-z]+\s+)*["']?[\w.-]+["']?=/;
// Bounded indentation after a line break: `[\r\n]\s*` would rescan every run of blank lines (quadratic).
const MAIL = /[\r\n][ \t]{0,8}(?:(?:ehlo|helo)\s+\S|(?:mail\s+from|rcpt\s+to)\s*:|(?:list|retr|dele|uidl)\s+\d+\s*$|top\s+\d+\s+\d+|apop\s+\S+\s+[0-9a-f]{16}|auth\s+\S+\s+[a-z0-9+/=]{8,})/m;
const SQLITE = /(?:^|[;\n])[ \t\r]{0,8}\.[ \t]{0,8}(?:shell|system|databases|tables|import|output|once|read|load|dump|schema|open)\b/;
const WINDOWS_BATCH = /\bfor\s*(?:\/[dlrf]\b[^%]{0,80})?\s%{1,2}[^\s%]{1,40}\s+in\s*\([^\n]{0,400}\)\s*do\b|\bif\s*(?:\/i\s*)?(?:not\s+)?(?:exist\b|defined\b|errorlevel\b|cmdextversion\b|\S[^=]{0,60}(?:==|\s(?:equ|neq|lss|leq|gtr|geq)\s))/;
const POWERSHELL = /\b(?:invoke-(?:webrequest|expression|restmethod|command|item|wmimethod|shellcode)|iwmi|start-process|new-object\s+(?:system\.)?net\.webclient|downloadstring|downloadfile|set-executionpolicy|get-wmiobject|add-mppreference)\b|\s-(?:encodedcommand|executionpolicy\s+bypass|nop\b|noprofile\b|windowstyle\s+hidden)/;
const WINDOWS_TOOL = /(?:^|[\s;|&`(])(?:cmd(?:\.exe)?\s*\/[ckr]\b|(?:certutil|bitsadmin|mshta|rundll32|regsvr32|cscript|wscript|powershell|pwsh)(?:\.exe)?\s)/;

/** cmdLine-style normalization: drop quoting and escapes, empty expansions and one-char globs inside words. */
function normalizeCommandLine(text: string): { text: string; evasion: boolean } {
  let evasion = false;
  let out = text;
  // `${IFS}` and `$IFS` stand for whitespace.
  if (out.includes('ifs')) out = out.replace(/\$\{ifs\}|\$ifs\b(?:\$\d)?/g, ' ');
  const before = out;
  // Each rewrite only runs when its character is there: prose with an
  // apostrophe must not pay for seven lookbehind scans (they only delete).
  if (out.includes('$')) out = out
    .replace(/\$\{[a-z_]?\w{0,8}\}(?=\w)/g, '') // ca${x}t
    .replace(/(?<=\w)\$\{[a-z_]?\w{0,8}\}/g, '')
    .replace(/\$[@*#?$!_-](?=\w)/g, '') // c$@at, c$_at
    .replace(/(?<=\w)\$[@*#?$!_-]/g, '')
    .replace(/(?<=\w)\$[a-z_][a-z0-9_]{0,8}(?=[\s;|&`)]|$)/g, ''); // uname$u -a
  if (out.includes('[')) out = out.replace(/(?<=\w)\[([a-z0-9])\](?=\w|$)/g, '$1'); // adduse[r]
  if (out.includes("''") || out.includes('""')) out = out.replace(/(?<=\w)(?:''|"")(?=\w)/g, ''); // c''at
  if (out.includes('\\')) out = out.replace(/(?<=\w)\\(?=\w)/g, ''); // c\at
  if (out !== before) evasion = true;
  // `+` is a space in query strings (Referer, form values read raw).
  out = out.replace(/["'^\\]/g, '').replace(/[,+]/g, ' ');
  return { text: out, evasion };
}

function commandName(word: string): { name: string; path: boolean } {
  const path = word.includes('/');
  const base = path ? word.slice(word.lastIndexOf('/') + 1) : word;
  return { name: base.replace(/\.exe$/, ''), path };
}

function known(name: string): 'unambiguous' | 'everyday' | undefined {
  if (UNAMBIGUOUS.has(name)) return 'unambiguous';
  if (EVERYDAY.has(name)) return 'everyday';
  const last = name.charCodeAt(name.length - 1);
  if (!(last >= 48 && last <= 57) && last !== 46) return undefined;
  const unversioned = name.replace(/[\d.]+$/, '');
  if (unversioned !== name && unversioned.length > 1) {
    if (UNAMBIGUOUS.has(unversioned)) return 'unambiguous';
    if (EVERYDAY.has(unversioned)) return 'everyday';
  }
  return undefined;
}

/** An argument that only a command line would have. */
function isCommandLineArgument(arg: string | undefined): boolean {
  if (arg === undefined) return false;
  return /^(?:-{1,2}[a-z0-9]|\/|~|\.{1,2}\/|\$|\d|[a-z0-9_-]+\.[a-z0-9]{1,5}$|[a-z]+:\/\/|[<>|&;]|\{\}|\+[a-z])/.test(arg);
}

/**
 * One simple command: skips assignments and prefixes, and reports a known
 * program with enough evidence. `afterSeparator` is false for the first
 * command of the value (which may just be a word in a sentence).
 */
function checkSimpleCommand(words: string[], afterSeparator: boolean): boolean {
  let i = 0;
  while (i < words.length && /^[a-z_]\w*=/.test(words[i]!)) i++;
  // `env --version`: a prefix word is a command of its own too.
  if (checkCommandAt(words, i, afterSeparator, false)) return true;
  let prefixed = false;
  while (i < words.length - 1 && PREFIXES.has(words[i]!)) {
    i++;
    prefixed = true;
    while (i < words.length - 1 && /^-|^\d+$/.test(words[i]!)) i++;
  }
  return prefixed && checkCommandAt(words, i, afterSeparator, true);
}

function checkCommandAt(words: string[], i: number, afterSeparator: boolean, prefixed: boolean): boolean {
  const first = words[i];
  if (first === undefined || first.length === 0) return false;
  // A variable in command position (`$a -nlvp`, `;$garb pizza`).
  // A variable (or variables glued together, `$c1$c2$c3`) in command position (`$a -nlvp`, `;$garb pizza`).
  if (/^(?:\$[a-z_]\w*|\$\{\w+\})+$/.test(first)) return afterSeparator || isCommandLineArgument(words[i + 1]);
  const { name, path } = commandName(first);
  const kind = known(name);
  if (kind === undefined) return false;
  const next = words[i + 1];
  const nextKind = next === undefined ? undefined : known(commandName(next).name);
  // Evidence: a flag, path, file or URL argument, or another program given a command line (`trap rm -rf`).
  const evidence = isCommandLineArgument(next) || nextKind === 'unambiguous' || (nextKind !== undefined && isCommandLineArgument(words[i + 2]));
  if (path && /^(?:\/|\.\/|~\/)/.test(first)) return true;
  if (kind === 'unambiguous') return afterSeparator || prefixed || (next === undefined ? ALONE.has(name) : /^[\w./:-]/.test(next));
  if (afterSeparator || prefixed) return next === undefined ? afterSeparator || ALONE.has(name) : evidence;
  return evidence && next !== undefined && !/^\d/.test(next);
}

/**
 * Parentheses and braces group commands only where a command could start
 * (`&&(sh)`, `$(…)`, `{ ifconfig,}`); after a word they are prose: "hello
 * world (test)". A scan rather than a regex (`[\n…]\s*[({]` backtracks
 * quadratically over blank lines).
 */
const OPENS_COMMAND = new Set([';', '&', '|', '`', '$', '<', '>', '(', '{', '\n', '\r', '!']);

function regroup(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ')' || ch === '}') {
      out += ' ';
    } else if (ch === '(' || ch === '{') {
      let j = i - 1;
      while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
      out += j < 0 || OPENS_COMMAND.has(text[j]!) ? ';' : ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

function findCommands(text: string): boolean {
  const grouped = /[(){}]/.test(text) ? regroup(text) : text;
  const segments = grouped.split(/\|\||&&|[;|&\n\r`!]|\$\(|[<>]\(/);
  for (let index = 0; index < segments.length; index++) {
    const words = segments[index]!.trim().split(/\s+/).filter((w) => w.length > 0);
    // Only the first segment can be prose that happens to start with a command word.
    if (words.length > 0 && checkSimpleCommand(words, index > 0)) return true;
  }
  return false;
}

const NOTHING_SHELLISH = /^[\p{L}\p{N} .,:@+_/-]*$/u;

const FIRST_WORD = /^\s*([a-z0-9_.+-]+)/;

/** Every shell finding for one (decoded, lower-case) value. */
export function detectShell(lower: string): Set<ShellFinding> {
  const findings = new Set<ShellFinding>();
  if (lower.length === 0) return findings;
  const plain = NOTHING_SHELLISH.test(lower);
  if (plain && !lower.includes('/')) {
    // Prose without a shell character: only a command at the very start could matter ("cat /x" has a slash).
    const first = FIRST_WORD.exec(lower)?.[1];
    if (first === undefined || (known(first) === undefined && !PREFIXES.has(first) && !/\b(?:for|if|invoke|iwmi|downloadstring|downloadfile|start-process|new-object|certutil|bitsadmin|mshta|rundll32|regsvr32|cscript|wscript|powershell|pwsh)\b/.test(lower))) return findings;
  }
  if (!plain) {
    const braces = lower.includes('{') || lower.includes('}');
    if (/[$<>]/.test(lower) && SUBSTITUTION.test(lower)) findings.add(SHELL_FINDINGS.substitution);
    if (braces && FUNCTION_DEFINITION.test(lower)) findings.add(SHELL_FINDINGS.functionDefinition);
    if (REVERSE_SHELL.test(lower)) findings.add(SHELL_FINDINGS.reverseShell);
    if (braces && BRACE.test(lower) && !lower.includes(':')) findings.add(SHELL_FINDINGS.expansion);
    if (lower.includes('alias') && ALIAS.test(lower)) findings.add(SHELL_FINDINGS.alias);
    if (/[\r\n]/.test(lower) && MAIL.test(lower)) findings.add(SHELL_FINDINGS.mailInjection);
    if (lower.includes('.') && SQLITE.test(lower.replace(/["']/g, ''))) findings.add(SHELL_FINDINGS.sqliteShell);
  }
  if (lower.includes('/')) {
    if (BINARY_PATH.test(lower) && !/:\/\/[^\s]*\/s?bin\//.test(lower)) findings.add(SHELL_FINDINGS.binaryPath);
    if (PATH_GLOB.test(lower)) findings.add(SHELL_FINDINGS.expansion);
  }
  if (/\b(?:for|if)\b/.test(lower) && WINDOWS_BATCH.test(lower)) findings.add(SHELL_FINDINGS.windows);
  if (POWERSHELL.test(lower) || WINDOWS_TOOL.test(lower)) findings.add(SHELL_FINDINGS.windows);
  if (lower.includes('`')) {
    for (const match of lower.matchAll(BACKTICKS)) {
      const inner = match[1]!.trim();
      if (inner.length === 0 || findCommands(`;${normalizeCommandLine(inner).text}`)) findings.add(SHELL_FINDINGS.substitution);
    }
  }
  if (lower.includes('\\')) {
    for (const match of lower.matchAll(LEADING_BACKSLASH)) if (known(match[1]!) !== undefined) findings.add(SHELL_FINDINGS.evasion);
  }
  const normalized = normalizeCommandLine(lower);
  if (findCommands(normalized.text)) findings.add(normalized.evasion ? SHELL_FINDINGS.evasion : SHELL_FINDINGS.command);
  return findings;
}
