import { MAX_SQL_TOKENS, SQL_TOKEN, tokenizeSql, type SqlToken } from './sql-tokenizer.js';

const QUOTED_CONTEXT_TOKENS = 24;

/**
 * Why a value looks like injected SQL. Each finding is a shape of the token
 * stream, not a string: `' or 1=1` and `" OR/**\/2>1` are the same finding.
 */
export const SQLI_FINDINGS = {
  /** UNION [ALL] SELECT. */
  unionSelect: 'union-select',
  /** A quoted literal closed by the input and followed by SQL (`' or`, `')--`, `'; drop`, `'+sleep(`). */
  quoteBreak: 'quote-break',
  /** A boolean expression on constants joined by AND/OR (`1 or 1=1`, `and 2771=1709)`). */
  tautology: 'tautology',
  /** A second statement after `;` (`;drop table`, `; waitfor delay`). */
  stackedQuery: 'stacked-query',
  /** A complete statement: SELECT … FROM with a column list, INSERT INTO, UPDATE … SET, DELETE FROM, DROP TABLE. */
  statement: 'statement',
  /** A call of a function that only exists in SQL (sleep, benchmark, load_file, extractvalue…). */
  sqlFunction: 'sql-function',
  /** A call of an SQL function with an everyday name (`count(`, `floor(`) written as code. */
  sqlFunctionPlain: 'sql-function-plain',
  /** MySQL executable comments (`/*!50000select*\/`) or comments used as separators (`UNION/**\/SELECT`). */
  commentEvasion: 'comment-evasion',
  /** Server variables and time-based probes (`@@version`, `waitfor delay`). */
  probe: 'probe',
  /** HAVING/WHERE/CASE/IF followed by a comparison: conditional injection. */
  conditional: 'conditional',
  /** A value that is only SQL operators (`IS NULL`, `<>`, `XOR`), a dangling call (`floor(`, `length&&(`) or `execute x`: a probe. */
  operatorOnly: 'operator-only',
} as const;
export type SqliFinding = (typeof SQLI_FINDINGS)[keyof typeof SQLI_FINDINGS];

/** Functions no prose calls: their call alone is SQL. */
const SQL_ONLY_FUNCTIONS = new Set([
  'sleep', 'benchmark', 'pg_sleep', 'load_file', 'extractvalue', 'updatexml', 'xmltype', 'group_concat', 'concat',
  'concat_ws', 'unhex', 'hex', 'uncompress', 'compress', 'sysdate', 'find_in_set', 'json_extract', 'json_build_object',
  'json_search', 'json_array', 'json_valid', 'json_object', 'jsonb_build_object', 'sqlite_compileoption_used',
  'sqlite_version', 'lo_get', 'lo_import', 'lo_export', 'unistr', 'pg_read_file', 'pg_ls_dir', 'utl_inaddr',
  'utl_http', 'dbms_pipe', 'dbms_lock', 'make_set', 'export_set', 'substr', 'substring', 'ascii', 'ord', 'chr',
  'strcmp', 'rtrim', 'ltrim', 'md5', 'sha1', 'sha2', 'mid', 'elt', 'ifnull', 'iif', 'nullif', 'isnull', 'coalesce',
  'rand', 'cos', 'sin', 'tan', 'pow', 'sqrt', 'db_name', 'schema_name', 'user_name', 'host_name', 'current_user',
  'session_user', 'system_user', 'version', 'database', 'starts_with', 'string_to_array', 'array_to_string', 'overlay',
  'to_char', 'to_number', 'convert', 'cast', 'char', 'nchar', 'unicode', 'instr', 'locate', 'lpad', 'rpad', 'soundex',
  'bin', 'oct', 'conv', 'char_length', 'octet_length', 'bit_length', 'xmlquery', 'xmlelement', 'xpath', 'query_to_xml',
  'randomblob', 'zeroblob', 'typeof', 'waitfor', 'openrowset', 'opendatasource', 'openquery', 'exp', 'encode',
  'decode', 'len', 'unix_timestamp', 'from_unixtime', 'curdate', 'curtime', 'now', 'pi', 'div', 'mod',
]);

/** SQL functions whose names are everyday words: only code-like calls count. */
const PLAIN_WORD_FUNCTIONS = new Set([
  'count', 'floor', 'round', 'format', 'time', 'date', 'day', 'year', 'month', 'minute', 'hour', 'left', 'right',
  'insert', 'replace', 'values', 'user', 'position', 'local', 'password', 'length', 'reverse', 'repeat', 'trim',
  'upper', 'lower', 'if', 'in', 'log', 'ln', 'quarter', 'space', 'field', 'max', 'min', 'sum', 'avg', 'ceiling', 'abs',
  'sign', 'truncate', 'week', 'schema',
]);

const OPERAND: ReadonlySet<string> = new Set([SQL_TOKEN.number, SQL_TOKEN.string, SQL_TOKEN.variable, SQL_TOKEN.func, SQL_TOKEN.word, SQL_TOKEN.open]);
const STRONG_OPERAND: ReadonlySet<string> = new Set([SQL_TOKEN.number, SQL_TOKEN.string, SQL_TOKEN.variable, SQL_TOKEN.func, SQL_TOKEN.open]);
const CONSTANT_KEYWORDS = new Set(['null', 'true', 'false', 'unknown']);
/** Operators that compare (as opposed to arithmetic): what a boolean injection needs. */
const COMPARISONS = new Set(['=', '==', '!=', '<>', '<', '>', '<=', '>=', '<=>', 'like', 'rlike', 'regexp', 'glob', 'is', 'in', 'between', 'not', 'sounds', 'ilike', 'similar', 'match', '::', '->', '->>', '#>', '#>>', '@>', '<@', '?', '?|', '?&', '~', '~*', '!~', '!~*', '@@', '||']);
/** Operators only SQL (or code) uses between two constants: `1!=11`, `1 is not 2`, `'1' not regexp '2'`. */
const SQL_ONLY_COMPARISONS = new Set(['!=', '<>', '<=>', 'is', 'not', 'regexp', 'rlike', 'glob', 'sounds', 'like']);
const CLAUSES = new Set(['having', 'where', 'order', 'group', 'limit', 'into', 'procedure', 'from', 'collate']);
const DDL_OBJECTS = new Set(['table', 'database', 'schema', 'view', 'index', 'procedure', 'function', 'trigger', 'user', 'column', 'columns']);

function isOperand(token: SqlToken | undefined): boolean {
  if (token === undefined) return false;
  return OPERAND.has(token.type) || (token.type === SQL_TOKEN.keyword && CONSTANT_KEYWORDS.has(token.value));
}

function isStrongOperand(token: SqlToken | undefined): boolean {
  if (token === undefined) return false;
  return STRONG_OPERAND.has(token.type) || (token.type === SQL_TOKEN.keyword && CONSTANT_KEYWORDS.has(token.value));
}

interface Folded {
  tokens: SqlToken[];
  /** tokens[i] was followed by a comment in the input. */
  commentAfter: boolean[];
  executableComment: boolean;
  commentBetweenWords: boolean;
}

/** Drops comments (remembering where they were) and unary signs, like libinjection's folding. */
function fold(raw: SqlToken[]): Folded {
  const tokens: SqlToken[] = [];
  const commentAfter: boolean[] = [];
  let executableComment = false;
  let commentBetweenWords = false;
  for (let i = 0; i < raw.length; i++) {
    const token = raw[i]!;
    if (token.type === SQL_TOKEN.comment) {
      if (token.value === '/*!') executableComment = true;
      if (tokens.length > 0) commentAfter[tokens.length - 1] = true;
      const before = tokens[tokens.length - 1];
      const after = raw[i + 1];
      if (token.value === '/*' && before && after && /[bkEU&]/.test(before.type) && /[bkEUf&(]/.test(after.type)) commentBetweenWords = true;
      continue;
    }
    const previous = tokens[tokens.length - 1];
    if (token.type === SQL_TOKEN.operator && (token.value === '-' || token.value === '+' || token.value === '!' || token.value === '~')) {
      const next = raw[i + 1];
      const unary = previous === undefined || /[o&(,;]/.test(previous.type);
      if (unary && next !== undefined && /[nvf(sb]/.test(next.type)) continue;
    }
    tokens.push(token);
    commentAfter.push(false);
  }
  return { tokens, commentAfter, executableComment, commentBetweenWords };
}

function findUnionSelect(tokens: SqlToken[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== SQL_TOKEN.union) continue;
    for (let j = i + 1; j < Math.min(tokens.length, i + 5); j++) {
      const t = tokens[j]!;
      if (t.type === SQL_TOKEN.statement && t.value === 'select') return true;
      if (!(t.type === SQL_TOKEN.open || (t.type === SQL_TOKEN.keyword && (t.value === 'all' || t.value === 'distinct' || t.value === 'distinctrow')))) break;
    }
  }
  return false;
}

/**
 * A value that is one plain token before the quote (`admin'--`): the shape of
 * a comment-terminated login bypass. Prose and passwords with other quotes
 * or spaces in them (`P@ss'word"--;`) are not that shape.
 */
function bareLiteral(token: SqlToken | undefined): boolean {
  return token?.type === SQL_TOKEN.string && /^[\w@.+-]*$/.test(token.text ?? '');
}

/** What follows a closed string (after any closing parentheses) that only SQL would put there. */
function sqlContinuation(tokens: SqlToken[], at: number, commentAfter: boolean[]): boolean {
  let i = at;
  if (commentAfter[i - 1] && bareLiteral(tokens[i - 1])) return true;
  while (tokens[i]?.type === SQL_TOKEN.close) {
    if (commentAfter[i]) return true;
    i++;
  }
  const t = tokens[i];
  if (t === undefined) return i > at; // `')` at the end: a closed call
  const next = tokens[i + 1];
  switch (t.type) {
    case SQL_TOKEN.logic:
      return next === undefined || isOperand(next) || next.type === SQL_TOKEN.operator || (next.type === SQL_TOKEN.keyword && CONSTANT_KEYWORDS.has(next.value));
    case SQL_TOKEN.operator:
      if (t.value === 'not' || t.value === 'is' || t.value === 'in' || t.value === 'like' || t.value === 'regexp' || t.value === 'rlike' || t.value === 'glob' || t.value === 'between' || t.value === 'collate' || t.value === 'mod' || t.value === 'div') return true;
      return next === undefined
        ? t.value !== '-' && t.value !== '!'
        : isOperand(next) || next.type === SQL_TOKEN.statement || next.type === SQL_TOKEN.operator || (next.type === SQL_TOKEN.keyword && (next.value === 'from' || next.value === 'where'));
    case SQL_TOKEN.semicolon:
      return true;
    case SQL_TOKEN.union:
    case SQL_TOKEN.statement:
      return true;
    case SQL_TOKEN.keyword:
      return CLAUSES.has(t.value) || (t.value === 'as' && next !== undefined) || t.value === 'when' || t.value === 'then';
    case SQL_TOKEN.func:
      return SQL_ONLY_FUNCTIONS.has(t.value) || PLAIN_WORD_FUNCTIONS.has(t.value);
    case SQL_TOKEN.open:
      return next?.type === SQL_TOKEN.statement || next?.type === SQL_TOKEN.func;
    case SQL_TOKEN.variable:
      return true;
    default:
      return false;
  }
}

function findQuoteBreak(folded: Folded, quoted: boolean): boolean {
  const { tokens, commentAfter } = folded;
  if (!quoted) return false;
  const first = tokens[0];
  // In a quoted context the input's first quote closes the literal the application opened.
  if (first?.type !== SQL_TOKEN.string || first.closed !== true) return false;
  let at = 1;
  // `'''or 1`: empty literals right after the break change nothing.
  while (tokens[at]?.type === SQL_TOKEN.string && tokens[at]!.closed === true && tokens[at]!.text === '') at++;
  // After the break, a boolean expression on constants (`"1 or 1-`).
  return sqlContinuation(tokens, at, commentAfter) || findTautology(tokens.slice(at));
}

function findTautology(tokens: SqlToken[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === SQL_TOKEN.number || t.type === SQL_TOKEN.string) {
      // A comparison of two constants: `1=1`, `'a'='a'`, `1!=11`, `1 is not 2`.
      const op = tokens[i + 1];
      let k = i + 2;
      if (op?.type === SQL_TOKEN.operator && (op.value === 'is' || op.value === 'not') && tokens[k]?.type === SQL_TOKEN.operator) k++;
      const other = tokens[k];
      if (op?.type === SQL_TOKEN.operator && (other?.type === SQL_TOKEN.number || other?.type === SQL_TOKEN.string)) {
        const same = (t.type === SQL_TOKEN.string ? t.text : t.value) === (other.type === SQL_TOKEN.string ? other.text : other.value);
        if (((op.value === '=' || op.value === '==') && same) || SQL_ONLY_COMPARISONS.has(op.value)) return true;
        // A chain of comparisons between literals: `'{…}' < '$.c' = 7`.
        const then = tokens[k + 1];
        if (COMPARISONS.has(op.value) && t.type === SQL_TOKEN.string && then?.type === SQL_TOKEN.operator && COMPARISONS.has(then.value) && isStrongOperand(tokens[k + 2])) return true;
      }
    }
    if (t.type !== SQL_TOKEN.logic) continue;
    const before = tokens[i - 1];
    const sqlBefore = before === undefined || /[ns)v]/.test(before.type) || (before.type === SQL_TOKEN.word && i === 1);
    let j = i + 1;
    while (tokens[j]?.type === SQL_TOKEN.open) j++;
    const left = tokens[j];
    const op = tokens[j + 1];
    const right = tokens[j + 2];
    if (!isOperand(left) || left?.type === SQL_TOKEN.open) continue;
    if (op === undefined) {
      // `… or 1` at the very end, or a value that is just `xor 5`: a truthy constant.
      if (left!.type === SQL_TOKEN.number && (before === undefined || (sqlBefore && before.type !== SQL_TOKEN.word))) return true;
      continue;
    }
    if (op.type !== SQL_TOKEN.operator) continue;
    // After prose, only a comparison counts (`or 1-2 items` is arithmetic in a sentence).
    if (!sqlBefore && !COMPARISONS.has(op.value)) continue;
    if (right === undefined || right.type === SQL_TOKEN.operator || isOperand(right)) {
      if (isStrongOperand(left) || isStrongOperand(right) || (right?.type === SQL_TOKEN.word && right.value === left!.value)) return true;
      if (right === undefined && left!.type === SQL_TOKEN.word && op.value !== '-' && op.value !== '/' && op.value !== '+') return true;
    }
  }
  return false;
}

function findStacked(tokens: SqlToken[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== SQL_TOKEN.semicolon) continue;
    const next = tokens[i + 1];
    if (next === undefined) continue;
    if (next.type === SQL_TOKEN.statement) {
      // `;drop` at the very end, or a statement with SQL shape (not "; drop-in sessions").
      if (tokens[i + 2] === undefined || statementAt(tokens, i + 1)) return true;
      const following = tokens[i + 2]!;
      if (following.type !== SQL_TOKEN.word && following.type !== SQL_TOKEN.operator && (next.value !== 'select' || following.type !== SQL_TOKEN.keyword)) return true;
    }
    if (next.type === SQL_TOKEN.keyword && (next.value === 'set' || next.value === 'sleep')) return tokens[i + 2]?.type === SQL_TOKEN.variable || tokens[i + 2]?.type === SQL_TOKEN.open;
    if (next.type === SQL_TOKEN.func && (SQL_ONLY_FUNCTIONS.has(next.value) || next.value === 'if')) return true;
  }
  return false;
}

function findStatement(tokens: SqlToken[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === SQL_TOKEN.statement && statementAt(tokens, i)) return true;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    // `(select` opening a subquery at the end of the input or before a column list.
    if (t.type === SQL_TOKEN.open && next?.type === SQL_TOKEN.statement && next.value === 'select' && (after === undefined || after.type !== SQL_TOKEN.word || tokens[i + 3]?.type === SQL_TOKEN.comma || tokens[i + 3]?.type === SQL_TOKEN.keyword)) return true;
    // `SET @x =`, `SET @OLD_SQL_NOTES`: session variables.
    if (t.type === SQL_TOKEN.keyword && t.value === 'set' && next?.type === SQL_TOKEN.variable) return true;
    if (t.type === SQL_TOKEN.keyword && t.value === 'from' && next !== undefined && (next.type === SQL_TOKEN.word || next.type === SQL_TOKEN.string)) {
      // `FROM t WHERE c =`, `FROM db.t LIMIT`, `FROM t ORDER BY`: a source followed by a clause.
      let k = i + 2;
      while (tokens[k]?.type === SQL_TOKEN.dot && tokens[k + 1]?.type === SQL_TOKEN.word) k += 2;
      const clause = tokens[k];
      if (clause?.type === SQL_TOKEN.keyword && (clause.value === 'where' || clause.value === 'limit' || clause.value === 'order' || clause.value === 'group' || clause.value === 'join' || clause.value === 'having') && (tokens[k + 1] !== undefined || (clause.value === 'limit' && k > i + 2))) return true;
    }
    // `) AS alias FROM`, `1234 AS "x" FROM`: a projection with an alias.
    if (t.type === SQL_TOKEN.keyword && t.value === 'as' && (next?.type === SQL_TOKEN.word || next?.type === SQL_TOKEN.string) && after?.type === SQL_TOKEN.keyword && after.value === 'from') {
      const before = tokens[i - 1];
      if (before !== undefined && (before.type === SQL_TOKEN.close || before.type === SQL_TOKEN.number || before.type === SQL_TOKEN.string)) return true;
    }
    if (t.type === SQL_TOKEN.keyword && t.value === 'procedure' && next?.type === SQL_TOKEN.func && next.value === 'analyse') return true;
  }
  return false;
}

/** Whether the statement keyword at `i` starts something with the shape of SQL. */
function statementAt(tokens: SqlToken[], i: number): boolean {
  {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    switch (t.value) {
      case 'select': {
        // SELECT <list> FROM <source>, where the list looks like SQL: `*`, a call, a number, a comma list.
        let sqlish = false;
        for (let j = i + 1; j < Math.min(tokens.length, i + 16); j++) {
          const u = tokens[j]!;
          if (u.type === SQL_TOKEN.keyword && u.value === 'from') {
            const source = tokens[j + 1];
            if (sqlish && source !== undefined && (source.type === SQL_TOKEN.word || source.type === SQL_TOKEN.open || source.type === SQL_TOKEN.string)) return true;
            break;
          }
          if ((u.type === SQL_TOKEN.operator && u.value === '*') || u.type === SQL_TOKEN.func || u.type === SQL_TOKEN.number || u.type === SQL_TOKEN.comma || u.type === SQL_TOKEN.variable || u.type === SQL_TOKEN.dot || (u.type === SQL_TOKEN.keyword && (u.value === 'null' || u.value === 'case' || u.value === 'distinct'))) sqlish = true;
          if (u.type === SQL_TOKEN.semicolon) break;
        }
        // SELECT followed by a value that prose never selects: a number, a call, null, `*`, @@var, (CASE.
        if (next !== undefined && ((next.type === SQL_TOKEN.operator && next.value === '*') || next.type === SQL_TOKEN.variable || (next.type === SQL_TOKEN.keyword && (next.value === 'null' || next.value === 'case')))) return true;
        if (next?.type === SQL_TOKEN.func && (SQL_ONLY_FUNCTIONS.has(next.value) || PLAIN_WORD_FUNCTIONS.has(next.value) || next.value === 'if')) return true;
        if (next?.type === SQL_TOKEN.open && (after?.type === SQL_TOKEN.statement || (after?.type === SQL_TOKEN.keyword && after.value === 'case'))) return true;
        // SELECT 1,2,3: a column count probe.
        if (next?.type === SQL_TOKEN.number && after?.type === SQL_TOKEN.comma) return true;
        break;
      }
      case 'insert':
        if (next?.type === SQL_TOKEN.keyword && next.value === 'into' && after !== undefined && (after.type === SQL_TOKEN.word || after.type === SQL_TOKEN.keyword)) return true;
        break;
      case 'update':
        if (next?.type === SQL_TOKEN.word && after?.type === SQL_TOKEN.keyword && after.value === 'set') return true;
        break;
      case 'delete':
        if (next?.type === SQL_TOKEN.keyword && next.value === 'from' && after?.type === SQL_TOKEN.word) return true;
        break;
      case 'drop':
      case 'create':
      case 'alter':
      case 'truncate':
        if (next?.type === SQL_TOKEN.keyword && DDL_OBJECTS.has(next.value) && after !== undefined && after.type !== SQL_TOKEN.operator) return true;
        if (t.value === 'truncate' && next?.type === SQL_TOKEN.word && i > 0) return true;
        break;
      case 'exec':
      case 'execute':
        if (next !== undefined && (next.type === SQL_TOKEN.variable || next.type === SQL_TOKEN.open || (next.type === SQL_TOKEN.keyword && next.value === 'immediate') || /^(?:master|xp_|sp_|sys\.)/.test(next.value))) return true;
        break;
      case 'declare':
        if (next?.type === SQL_TOKEN.variable) return true;
        break;
      case 'waitfor':
        if (next !== undefined && (next.value === 'delay' || next.value === 'time')) return true;
        break;
      case 'shutdown':
        if (i > 0 && tokens[i - 1]!.type === SQL_TOKEN.semicolon) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

function findConditional(tokens: SqlToken[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === SQL_TOKEN.keyword && (t.value === 'having' || t.value === 'where')) {
      const a = tokens[i + 1];
      const b = tokens[i + 2];
      if (isOperand(a) && b?.type === SQL_TOKEN.operator && a?.type !== SQL_TOKEN.word) return true;
      if (a?.type === SQL_TOKEN.word && b?.type === SQL_TOKEN.operator && i > 0 && tokens[i - 1]!.type !== SQL_TOKEN.word) return true;
      if (a?.type === SQL_TOKEN.func && (SQL_ONLY_FUNCTIONS.has(a.value) || PLAIN_WORD_FUNCTIONS.has(a.value))) return true;
    }
    if (t.type === SQL_TOKEN.keyword && t.value === 'when' && isStrongOperand(tokens[i + 1]) && tokens[i + 2]?.type === SQL_TOKEN.keyword && tokens[i + 2]!.value === 'then') return true;
    if (t.type === SQL_TOKEN.keyword && t.value === 'case') {
      for (let j = i + 1; j < Math.min(tokens.length, i + 8); j++) {
        if (tokens[j]!.type === SQL_TOKEN.keyword && tokens[j]!.value === 'when') {
          for (let k = j + 1; k < Math.min(tokens.length, j + 8); k++) if (tokens[k]!.type === SQL_TOKEN.keyword && tokens[k]!.value === 'then') return true;
        }
      }
    }
    if (t.type === SQL_TOKEN.func && t.value === 'if' && tokens[i + 1]?.type === SQL_TOKEN.open) {
      const a = tokens[i + 2];
      const b = tokens[i + 3];
      if (isOperand(a) && (b?.type === SQL_TOKEN.operator || b === undefined)) return true;
    }
  }
  return false;
}

function findFunctionCalls(tokens: SqlToken[], findings: Set<SqliFinding>): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === SQL_TOKEN.variable && t.value.startsWith('@@')) findings.add(SQLI_FINDINGS.probe);
    if (t.type !== SQL_TOKEN.func) continue;
    if (SQL_ONLY_FUNCTIONS.has(t.value) || /^(?:xp|sp)_\w+/.test(t.value)) findings.add(SQLI_FINDINGS.sqlFunction);
    else if (PLAIN_WORD_FUNCTIONS.has(t.value)) {
      const previous = tokens[i - 1];
      if (previous === undefined || /[o&(,;s]/.test(previous.type)) findings.add(SQLI_FINDINGS.sqlFunctionPlain);
    }
  }
}

/** Letters, digits and sentence punctuation only, and no SQL keyword: no finding below can occur. */
const QUICK_REJECT = /^[\p{L}\p{N}\s.!?:/+_-]*$/u;
const KEYWORD_HINT = /\b(?:union|except|intersect|select|insert|update|delete|drop|create|alter|truncate|exec|execute|declare|shutdown|waitfor|having|where|case|when|from|or|xor|and|is|not|null|regexp|rlike|like)\b/i;
/** `pay=AND 1=1`: an encoded form pair inside one value; its value part is analysed on its own too. */
const EMBEDDED_ASSIGNMENT = /^[\w.[\]@-]{1,64}=(?!=)/;
/** JSON pointer- or path-style prefixes are left to the quote contexts. */
const ESCAPED_QUOTE = /\\['"]/;
const SMART_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033]/;

/**
 * The libinjection-style check: tokenize in the three quoting contexts and
 * look for the token shapes of injected SQL. Returns every finding; an empty
 * set means the value reads as prose or data.
 */
/**
 * A value that is nothing but a function name and an open parenthesis, with
 * at most some punctuation between (`floor(`, `date]=(`, `length&&(`): a
 * filter probe. Prose never ends on an open parenthesis right after a word.
 */
const DANGLING_CALL = /^\W{0,3}([a-z_][a-z0-9_]*)[^\w\s]{0,3}\s?[^\w\s]{0,3}\(\W{0,3}$/i;
const IDENTIFIER = /^[A-Za-z0-9_]{1,64}$/;
const OPERATOR_WORDS = new Set(['xor', 'regexp', 'rlike', 'isnull', 'notnull']);
const EXECUTE_WORD = /^\s*(?:exec|execute)\s+[\w.@]+\s*$/i;
/**
 * Fragments that only make sense as the start or end of injected SQL: a
 * statement behind a comment marker (`--alter`), a constant followed by a
 * dangling AND/OR (`3 and(`), an operator waiting for the application's
 * closing quote (`x LIKE '`).
 */
const SQL_FRAGMENT = /^\s*(?:--|#|\/\*)\s*(?:alter|drop|select|union|insert|update|delete|exec|declare|truncate|create|shutdown)\b|[)'"\d]\s*(?:and|or|xor|&&|\|\|)\s*(?:\(\s*)?$|\b(?:like|rlike|regexp|glob)\s*['"]\s*$|(?:=|<>|!=)\s*'\s*$/i;

export function detectSqli(input: string): Set<SqliFinding> {
  const findings = new Set<SqliFinding>();
  if (input.length === 0) return findings;
  if (IDENTIFIER.test(input)) {
    // A bare word: only the operator words (`XOR`, `RLIKE`) are SQL on their own.
    if (OPERATOR_WORDS.has(input.toLowerCase())) findings.add(SQLI_FINDINGS.operatorOnly);
    return findings;
  }
  const dangling = input.length < 40 ? DANGLING_CALL.exec(input) : null;
  if (dangling !== null) {
    const name = dangling[1]!.toLowerCase();
    if (SQL_ONLY_FUNCTIONS.has(name) || PLAIN_WORD_FUNCTIONS.has(name) || name === 'values' || name === 'and' || name === 'or') findings.add(SQLI_FINDINGS.operatorOnly);
  }
  if (EXECUTE_WORD.test(input) || SQL_FRAGMENT.test(input)) findings.add(SQLI_FINDINGS.operatorOnly);
  if (QUICK_REJECT.test(input) && !KEYWORD_HINT.test(input)) return findings;
  analyse(input, findings);
  const assignment = EMBEDDED_ASSIGNMENT.exec(input);
  if (assignment !== null) analyse(input.slice(assignment[0].length), findings);
  // `\'` and `\"`: a backslash the application's escaping doubles, freeing the quote.
  if (ESCAPED_QUOTE.test(input)) analyse(input.replace(/\\(['"])/g, '$1'), findings);
  // Typographic quotes (‘ ’ “ ”) that a database collation or a normalizing layer turns into ASCII ones.
  if (SMART_QUOTES.test(input)) analyse(input.replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'").replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"'), findings);
  return findings;
}

function analyse(input: string, findings: Set<SqliFinding>): void {
  for (const prefix of ['', "'", '"'] as const) {
    if (prefix !== '' && !input.includes(prefix)) continue;
    // A string break shows in the first tokens after the quote (libinjection reads five).
    const folded = fold(tokenizeSql(input, prefix, prefix === '' ? MAX_SQL_TOKENS : QUOTED_CONTEXT_TOKENS));
    const { tokens } = folded;
    if (findQuoteBreak(folded, prefix !== '')) findings.add(SQLI_FINDINGS.quoteBreak);
    if (prefix !== '') continue;
    if (findUnionSelect(tokens)) findings.add(SQLI_FINDINGS.unionSelect);
    if (findTautology(tokens)) findings.add(SQLI_FINDINGS.tautology);
    if (findStacked(tokens)) findings.add(SQLI_FINDINGS.stackedQuery);
    if (findStatement(tokens)) findings.add(SQLI_FINDINGS.statement);
    if (findConditional(tokens)) findings.add(SQLI_FINDINGS.conditional);
    if (folded.executableComment || folded.commentBetweenWords) findings.add(SQLI_FINDINGS.commentEvasion);
    findFunctionCalls(tokens, findings);
    if (findOperatorOnly(tokens)) findings.add(SQLI_FINDINGS.operatorOnly);
  }
}

/** A value that is nothing but SQL operators (`IS NULL`, `<>`, `XOR`, `!=`): a probe, not data. */
function findOperatorOnly(tokens: SqlToken[]): boolean {
  if (tokens.length === 0 || tokens.length > 3) return false;
  const words = tokens.map((t) => t.value).join(' ');
  return tokens.every((t) => t.type === SQL_TOKEN.operator || t.type === SQL_TOKEN.logic || (t.type === SQL_TOKEN.keyword && t.value === 'null')) &&
    /^(?:xor|regexp|rlike|isnull|notnull|is (?:not )?null|not null|!=|<>|==|>=|<=|<=>|&&|\|\|)$/.test(words);
}
