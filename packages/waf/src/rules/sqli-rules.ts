import { sqliFindings } from '../detectors/detection-cache.js';
import { SQLI_FINDINGS, type SqliFinding } from '../detectors/sqli-detector.js';
import { RULE_CATEGORIES, viewRule, type FieldRule, type ParanoiaLevel, type Severity } from './rule.js';
import { ARGS_AND_HEADERS, EVERYWHERE } from './targets.js';

function findingRule(id: string, description: string, findings: readonly SqliFinding[], paranoia: ParanoiaLevel = 1, severity: Severity = 'critical'): FieldRule {
  return {
    id,
    category: RULE_CATEGORIES.sqli,
    severity,
    paranoia,
    description,
    targets: EVERYWHERE,
    scope: 'field',
    match: (field) => {
      const found = sqliFindings(field);
      return findings.some((finding) => found.has(finding));
    },
  };
}

const base = { category: RULE_CATEGORIES.sqli, severity: 'critical', targets: ARGS_AND_HEADERS } as const;

/**
 * SQL injection (CRS REQUEST-942). The tokenizer findings generalize to
 * payloads never seen before; the few regexes name catalogues and procedures
 * that have no business in a request at all.
 */
export const SQLI_RULES: readonly FieldRule[] = [
  findingRule('WAF_SQLI_001', 'SQL injection: token stream of injected SQL (string break, tautology, UNION SELECT, stacked or complete statement)', [
    SQLI_FINDINGS.quoteBreak,
    SQLI_FINDINGS.tautology,
    SQLI_FINDINGS.unionSelect,
    SQLI_FINDINGS.stackedQuery,
    SQLI_FINDINGS.statement,
  ]),
  findingRule('WAF_SQLI_002', 'SQL injection: call of a SQL-only function (sleep, benchmark, load_file, extractvalue…)', [SQLI_FINDINGS.sqlFunction]),
  findingRule('WAF_SQLI_003', 'SQL injection: comment evasion or MySQL executable comment', [SQLI_FINDINGS.commentEvasion]),
  findingRule('WAF_SQLI_004', 'SQL injection: server variable or conditional probe (@@version, CASE WHEN, HAVING 1=1)', [SQLI_FINDINGS.probe, SQLI_FINDINGS.conditional]),
  viewRule(
    { ...base, id: 'WAF_SQLI_005', paranoia: 1, description: 'SQL injection: system catalog or database name (information_schema, sysobjects, pg_catalog…)' },
    // Every name below has `_` or `.`, or is a sys… or tempdb name: other values skip the alternation.
    (field) => (/[_.]|sys|tempdb/.test(field.lower) ? field.lower : undefined),
    /\b(?:information_schema|sysobjects|syscolumns|sysdatabases|sysusers|sys\.(?:objects|tables|columns|databases)|mysql\.(?:db|user|host)|pg_(?:catalog|shadow|user|database|tables|stat_activity)|sqlite_(?:master|schema|temp_master)|all_(?:tables|users|tab_columns)|user_(?:tables|objects|tab_columns)|msysaccessobjects|msysobjects|tempdb|schema_name|table_name\s+from|db_name\s*\()/,
  ),
  viewRule(
    { ...base, id: 'WAF_SQLI_006', paranoia: 1, description: 'SQL injection: MSSQL extended procedure or remote rowset (xp_cmdshell, sp_executesql, OPENROWSET)' },
    (field) => field.lower,
    /\b(?:msdasql|sqloledb|xp_(?:cmdshell|dirtree|fileexist|regread|regwrite|servicecontrol|availablemedia|makecab|ntsec|subdirs|terminate|loginconfig|execresultset)|sp_(?:executesql|password|oacreate|oamethod|addlogin|addsrvrolemember|makewebtask|configure|execute)|openrowset|opendatasource|openquery|dbms_(?:pipe|lock|java|xmlquery|sql)|utl_(?:http|inaddr|file|tcp))\b/,
  ),
  viewRule(
    { ...base, id: 'WAF_SQLI_007', paranoia: 1, targets: EVERYWHERE, description: 'SQL injection: MySQL scientific-notation or type-cast bypass (1.e(, ::int)' },
    (field) => field.lower,
    /\b\d+\.e\s*[(,]|'\s*::\s*(?:int|bool|text|json|jsonb|bigint|varchar)\b|\)\s*::\s*(?:int|bool|text|json|jsonb|bigint)\b/,
    '(,:',
  ),
  findingRule('WAF_SQLI_008', 'SQL injection: SQL function with an everyday name called as code (count(, floor(), or a value made only of SQL operators (IS NULL, <>)', [SQLI_FINDINGS.sqlFunctionPlain, SQLI_FINDINGS.operatorOnly], 2),
  viewRule(
    { ...base, id: 'WAF_SQLI_009', paranoia: 2, description: 'SQL injection: hex or binary encoded literal' },
    (field) => field.lower,
    /(?:^|[\s(,=\\])0x[0-9a-f]{4,}|\bx'[0-9a-f]{8,}'/,
    '0',
  ),
  viewRule(
    { ...base, id: 'WAF_SQLI_010', paranoia: 2, description: 'SQL injection: literal list or row constructor (IN (1,2), VALUES (\'a\'), nvarchar)' },
    (field) => field.lower,
    /\bin\s*\(\s*(?:-?\d+|'[^']*')\s*,|\bvalues\s*\(\s*(?:'|-?\d|null\b)|\bn?varchar\s*\(\s*(?:\d+|max)\s*\)|^\s*nvarchar\s*$/,
  ),
];
