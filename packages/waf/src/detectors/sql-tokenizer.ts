/**
 * A SQL tokenizer in the spirit of libinjection: it does not parse SQL, it
 * classifies the input into a short sequence of token types whose shape
 * tells injected SQL (`' or 1=1 --` is string-logic-number-op-number-comment)
 * from prose that merely contains SQL words ("select scholarships for
 * nursing" is keyword-word-word-word). Linear in the input, bounded in tokens.
 */
export const SQL_TOKEN = {
  string: 's',
  number: 'n',
  keyword: 'k',
  statement: 'E',
  union: 'U',
  logic: '&',
  operator: 'o',
  func: 'f',
  variable: 'v',
  word: 'b',
  comment: 'c',
  open: '(',
  close: ')',
  comma: ',',
  semicolon: ';',
  dot: '.',
  other: '?',
} as const;
export type SqlTokenType = (typeof SQL_TOKEN)[keyof typeof SQL_TOKEN];

export interface SqlToken {
  type: SqlTokenType;
  /** Lower-case text for words and operators; the quote char for strings. */
  value: string;
  /** Strings: closed by a quote in the input (not running to the end). */
  closed?: boolean;
  /** Strings: the literal's content, without its quotes. */
  text?: string;
}

/** Statements that start a query of their own (after `;` they mean stacked queries). */
const STATEMENTS = new Set([
  'select', 'insert', 'update', 'delete', 'drop', 'create', 'alter', 'truncate', 'exec', 'execute', 'declare',
  'shutdown', 'waitfor', 'grant', 'revoke', 'merge', 'handler', 'rename', 'analyze', 'vacuum', 'attach', 'pragma',
]);
const UNIONS = new Set(['union', 'except', 'intersect', 'minus']);
const LOGIC = new Set(['and', 'or', 'xor', '&&', '||']);
/** Word operators (MySQL, PostgreSQL, SQLite, MSSQL). */
const WORD_OPERATORS = new Set(['like', 'rlike', 'regexp', 'glob', 'match', 'is', 'in', 'between', 'not', 'div', 'mod', 'sounds', 'escape', 'collate', 'similar', 'ilike', 'notnull', 'isnull']);
const KEYWORDS = new Set([
  'from', 'where', 'into', 'values', 'set', 'table', 'database', 'schema', 'having', 'group', 'order', 'by', 'limit',
  'offset', 'all', 'distinct', 'distinctrow', 'as', 'join', 'on', 'case', 'when', 'then', 'else', 'end', 'null', 'true',
  'false', 'delay', 'procedure', 'outfile', 'dumpfile', 'asc', 'desc', 'top', 'exists', 'using', 'columns', 'column',
  'function', 'trigger', 'view', 'index', 'user', 'immediate', 'sleep', 'waitfor', 'unknown', 'nvarchar', 'varchar', 'char',
]);
/** Three-character operators first, then two: the longest match wins. */
const OPERATORS3 = ['<=>', '->>', '#>>', '!~*', '<<=', '>>=', '===', '!=='];
const OPERATORS2 = ['<=', '>=', '<>', '!=', '==', '||', '&&', '::', '->', '#>', '@>', '<@', '?|', '?&', '~*', '!~', '<<', '>>', ':='];
const OPERATOR_CHARS = '=<>!+-*/%^|&~?:';

// Character classes by code (a regex test per character would dominate the cost).
function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isWordStartCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 0x80 && !isSpaceCode(c));
}
function isWordCode(c: number): boolean {
  return isWordStartCode(c) || isDigitCode(c) || c === 36;
}
function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;
}
const DIGIT = { test: (ch: string) => isDigitCode(ch.charCodeAt(0)) };
const SPACE = { test: (ch: string) => isSpaceCode(ch.charCodeAt(0)) };
const WORD_START = { test: (ch: string) => isWordStartCode(ch.charCodeAt(0)) };
const WORD_CHAR = { test: (ch: string) => isWordCode(ch.charCodeAt(0)) };

export const MAX_SQL_TOKENS = 512;

/**
 * Tokenizes `input` as if it were placed right after `prefix` (`''` as is,
 * `'` or `"` as if it continued a quoted string: the three contexts
 * libinjection tries, because injected text usually starts inside a literal).
 */
export function tokenizeSql(input: string, prefix: '' | "'" | '"', maxTokens = MAX_SQL_TOKENS): SqlToken[] {
  const tokens: SqlToken[] = [];
  // Input that starts with the quote closes the application's literal itself
  // (`' * from …`): an empty closed string, then the rest as is. Prefixing
  // would turn the two quotes into an escaped one instead.
  const startsClosed = prefix !== '' && input.startsWith(prefix);
  if (startsClosed) tokens.push({ type: SQL_TOKEN.string, value: prefix, closed: true, text: '' });
  const text = startsClosed ? input.slice(1) : prefix + input;
  let i = 0;
  const n = text.length;
  const push = (token: SqlToken) => tokens.push(token);
  while (i < n && tokens.length < maxTokens) {
    const ch = text[i]!;
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    // Strings: '…', "…" with doubled-quote and backslash escapes.
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const c = text[j]!;
        if (c === '\\') {
          j += 2;
          continue;
        }
        if (c === ch) {
          if (text[j + 1] === ch) {
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        j++;
      }
      // A backticked name is an identifier in MySQL.
      push(ch === '`' ? { type: SQL_TOKEN.word, value: text.slice(i + 1, j).toLowerCase() } : { type: SQL_TOKEN.string, value: ch, closed, text: text.slice(i + 1, Math.min(j, n)) });
      i = closed ? j + 1 : n;
      continue;
    }
    // Comments: /* … */ (MySQL /*! … */ runs its content, so only the markers go), -- and #.
    if (ch === '/' && text[i + 1] === '*') {
      if (text[i + 2] === '!') {
        i += 3;
        while (i < n && DIGIT.test(text[i]!)) i++;
        push({ type: SQL_TOKEN.comment, value: '/*!' });
        continue;
      }
      const close = text.indexOf('*/', i + 2);
      push({ type: SQL_TOKEN.comment, value: '/*' });
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (ch === '*' && text[i + 1] === '/') {
      // The end of a MySQL executable comment, or a stray terminator.
      push({ type: SQL_TOKEN.comment, value: '*/' });
      i += 2;
      continue;
    }
    if ((ch === '-' && text[i + 1] === '-') || ch === '#') {
      const eol = text.indexOf('\n', i);
      push({ type: SQL_TOKEN.comment, value: ch === '#' ? '#' : '--' });
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    // Numbers: 0x…, 0b…, decimals and exponents (MySQL accepts `1.e(`).
    if (DIGIT.test(ch) || (ch === '.' && DIGIT.test(text[i + 1] ?? ''))) {
      let j = i;
      if (ch === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
        j = i + 2;
        while (j < n && /[0-9a-fA-F]/.test(text[j]!)) j++;
      } else if (ch === '0' && (text[i + 1] === 'b' || text[i + 1] === 'B') && /[01]/.test(text[i + 2] ?? '')) {
        j = i + 2;
        while (j < n && /[01]/.test(text[j]!)) j++;
      } else {
        while (j < n && DIGIT.test(text[j]!)) j++;
        if (text[j] === '.') {
          j++;
          while (j < n && DIGIT.test(text[j]!)) j++;
        }
        const afterE = text[j + 1] ?? '';
        if ((text[j] === 'e' || text[j] === 'E') && (DIGIT.test(afterE) || ((afterE === '+' || afterE === '-') && DIGIT.test(text[j + 2] ?? '')))) {
          j += afterE === '+' || afterE === '-' ? 2 : 1;
          while (j < n && DIGIT.test(text[j]!)) j++;
        } else if ((text[j] === 'e' || text[j] === 'E') && text[j - 1] === '.') {
          // MySQL reads `1.e` as a number, a known filter bypass (`1.e(ascii…`).
          j++;
        }
      }
      // `1st`, `2nd`, `3rd-gen`: digits glued to letters are a word, not a number.
      if (j < n && WORD_START.test(text[j]!)) {
        while (j < n && WORD_CHAR.test(text[j]!)) j++;
        push({ type: SQL_TOKEN.word, value: text.slice(i, j).toLowerCase() });
      } else {
        push({ type: SQL_TOKEN.number, value: text.slice(i, j) });
      }
      i = j;
      continue;
    }
    // Variables: @x, @@version, and PostgreSQL dollar quoting is left as an operator.
    if (ch === '@') {
      let j = i + 1;
      if (text[j] === '@') j++;
      const start = j;
      while (j < n && (WORD_CHAR.test(text[j]!) || text[j] === '.')) j++;
      if (j > start) {
        push({ type: SQL_TOKEN.variable, value: text.slice(i, j).toLowerCase() });
        i = j;
        continue;
      }
    }
    if (WORD_START.test(ch)) {
      let j = i + 1;
      while (j < n && WORD_CHAR.test(text[j]!)) j++;
      const word = text.slice(i, j).toLowerCase();
      // A prefixed literal: N'…', X'…', B'…', E'…'.
      if (j - i === 1 && text[j] === "'" && /[nxbe]/.test(word)) {
        i = j;
        continue;
      }
      let k = j;
      // Spaces and /* comments */ may sit between a function name and its parenthesis.
      for (;;) {
        while (k < n && SPACE.test(text[k]!)) k++;
        if (text[k] !== '/' || text[k + 1] !== '*') break;
        const close = text.indexOf('*/', k + 2);
        if (close < 0) break;
        k = close + 2;
      }
      // Statement keywords stay statements before a parenthesis (`exec(@q)`), except the MySQL functions INSERT( and REPLACE(.
      if (text[k] === '(' && !LOGIC.has(word) && !UNIONS.has(word) && !(STATEMENTS.has(word) && word !== 'insert') && word !== 'in' && word !== 'from') {
        push({ type: SQL_TOKEN.func, value: word });
      } else if (STATEMENTS.has(word)) {
        push({ type: SQL_TOKEN.statement, value: word });
      } else if (UNIONS.has(word)) {
        push({ type: SQL_TOKEN.union, value: word });
      } else if (LOGIC.has(word)) {
        push({ type: SQL_TOKEN.logic, value: word });
      } else if (WORD_OPERATORS.has(word)) {
        push({ type: SQL_TOKEN.operator, value: word });
      } else if (KEYWORDS.has(word)) {
        push({ type: SQL_TOKEN.keyword, value: word });
      } else {
        push({ type: SQL_TOKEN.word, value: word });
      }
      i = j;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',' || ch === ';' || ch === '.') {
      push({ type: ch as SqlTokenType, value: ch });
      i++;
      continue;
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    if (OPERATORS3.includes(three)) {
      push({ type: SQL_TOKEN.operator, value: three });
      i += 3;
      continue;
    }
    if (OPERATORS2.includes(two)) {
      push({ type: two === '||' || two === '&&' ? SQL_TOKEN.logic : SQL_TOKEN.operator, value: two });
      i += 2;
      continue;
    }
    if (OPERATOR_CHARS.includes(ch)) {
      push({ type: SQL_TOKEN.operator, value: ch });
      i++;
      continue;
    }
    push({ type: SQL_TOKEN.other, value: ch });
    i++;
  }
  return tokens;
}
