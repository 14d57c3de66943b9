// Terminal output for `npm start` and `npm test`: colours (off in CI, when
// piped, or with NO_COLOR), prefixed child output, compact pino lines.
// Node built-ins only: this runs before dependencies are installed.

const env = process.env;
const isCI = env.CI === 'true' || env.CI === '1';

export const colourEnabled =
  env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0'
    ? true
    : !isCI && env.NO_COLOR === undefined && process.stdout.isTTY === true;

export { isCI };

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
  brightRed: [91, 39],
  brightGreen: [92, 39],
  brightYellow: [93, 39],
  brightBlue: [94, 39],
  brightMagenta: [95, 39],
  brightCyan: [96, 39],
};

/** @type {Record<keyof typeof CODES, (text: string) => string>} */
export const c = Object.fromEntries(
  Object.entries(CODES).map(([name, [open, close]]) => [
    name,
    (text) => (colourEnabled ? `\u001b[${open}m${text}\u001b[${close}m` : String(text)),
  ]),
);

const PALETTE = ['cyan', 'magenta', 'blue', 'green', 'yellow', 'brightCyan', 'brightMagenta', 'brightBlue', 'brightGreen', 'brightYellow'];

export function paletteColour(index) {
  return c[PALETTE[index % PALETTE.length]];
}

const TAG = '[bursary]';
export const say = (message) => process.stdout.write(`${c.bold(TAG)} ${message}\n`);
export const warn = (message) => process.stderr.write(`${c.bold(c.yellow(TAG))} ${c.yellow(message)}\n`);
export const fail = (message) => process.stderr.write(`${c.bold(c.red(TAG))} ${c.red(message)}\n`);

export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds - minutes * 60)).padStart(2, '0')}s`;
}

// ------------------------------------------------------------ pino lines ----

const PINO_LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const LEVEL_STYLE = {
  trace: (s) => c.gray(s),
  debug: (s) => c.gray(s),
  info: (s) => c.green(s),
  warn: (s) => c.yellow(s),
  error: (s) => c.red(s),
  fatal: (s) => c.bold(c.red(s)),
};
// Fields every line carries or that the compact form already shows.
const HIDDEN = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'service', 'v']);
const REQUEST_FIELDS = new Set(['method', 'url', 'route', 'status', 'durationMs', 'host', 'clientIp', 'errorCode', 'reqId', 'requestId']);

function scalar(value) {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const json = JSON.stringify(value);
  return json.length > 160 ? `${json.slice(0, 157)}...` : json;
}

function fields(entries) {
  return entries.map(([key, value]) => `${c.gray(`${key}=`)}${scalar(value)}`).join(' ');
}

/**
 * One pino JSON line → `12:03:04.567 INFO  msg key=value …`; request lines →
 * `GET /v1/x 404 1.2ms code=… reqId=…`; errors keep their stack. Anything
 * that is not a pino line is returned unchanged.
 */
export function formatLogLine(line) {
  if (line.length === 0 || line[0] !== '{') return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (entry === null || typeof entry !== 'object' || !('level' in entry)) return line;

  const label = typeof entry.level === 'number' ? (PINO_LEVELS[entry.level] ?? String(entry.level)) : String(entry.level);
  const style = LEVEL_STYLE[label] ?? ((s) => s);
  const time =
    typeof entry.time === 'string'
      ? entry.time.slice(11, 23)
      : typeof entry.time === 'number'
        ? new Date(entry.time).toISOString().slice(11, 23)
        : '';
  const parts = [c.gray(time), style(label.toUpperCase().padEnd(5))];
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  let rest = Object.entries(entry).filter(([key]) => !HIDDEN.has(key));

  if (msg === 'request' && 'method' in entry && 'status' in entry) {
    const status = Number(entry.status);
    const statusStyle = status >= 500 ? c.red : status >= 400 ? c.yellow : c.green;
    parts.push(`${entry.method} ${entry.url ?? entry.route ?? ''}`, statusStyle(String(entry.status)));
    if (entry.durationMs !== undefined) parts.push(`${entry.durationMs}ms`);
    const tail = [];
    if (entry.errorCode) tail.push(['code', entry.errorCode]);
    const requestId = entry.requestId ?? entry.reqId;
    if (requestId) tail.push(['requestId', requestId]);
    rest = rest.filter(([key]) => !REQUEST_FIELDS.has(key));
    parts.push(fields([...tail, ...rest]));
    return parts.filter(Boolean).join(' ');
  }

  if (msg) parts.push(label === 'error' || label === 'fatal' ? c.red(msg) : msg);
  const err = entry.err ?? entry.error;
  rest = rest.filter(([key]) => key !== 'err' && key !== 'error');
  if (rest.length > 0) parts.push(fields(rest.slice(0, 12)));
  let text = parts.filter(Boolean).join(' ');
  if (err && typeof err === 'object') {
    const head = `${err.type ?? 'Error'}${err.code ? ` [${err.code}]` : ''}: ${err.message ?? ''}`;
    const stack = typeof err.stack === 'string' ? err.stack.split('\n').slice(1, 12) : [];
    text += `\n    ${c.red(head)}${stack.map((frame) => `\n    ${c.gray(frame.trim())}`).join('')}`;
  } else if (err !== undefined) {
    text += ` ${c.gray('err=')}${scalar(err)}`;
  }
  return text;
}

// --------------------------------------------------------- prefixed output ----

/**
 * Writes a child's output line by line as `[name] …`. Partial lines are held
 * until their newline (or until flush at exit), so two children never mix
 * within a line.
 */
export function createPrefixer(name, width, colourFn, { raw = false } = {}) {
  const prefix = `${colourFn(`[${name}]`.padEnd(width + 2))} `;
  const writeLine = (line) => {
    const text = raw ? line : formatLogLine(line);
    process.stdout.write(`${prefix}${text.replace(/\n/g, `\n${prefix}`)}\n`);
  };
  const make = () => {
    let pending = '';
    return {
      push(chunk) {
        pending += chunk.toString('utf8');
        let newline;
        while ((newline = pending.indexOf('\n')) !== -1) {
          writeLine(pending.slice(0, newline).replace(/\r$/, ''));
          pending = pending.slice(newline + 1);
        }
      },
      flush() {
        if (pending.length > 0) writeLine(pending);
        pending = '';
      },
    };
  };
  return { stdout: make(), stderr: make(), writeLine };
}
