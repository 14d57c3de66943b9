import { createInterface } from 'node:readline';
import { createDatabase, databasePluginOptions } from '@bursary/db';
import { loadAccountsConfig, type AccountsConfig } from '../config.js';
import type { AccountsDb } from '../db/database.js';
import * as schema from '../db/schema.js';
import type { AuditContext } from '../modules/audit/audit-log.js';

/** What an operator command gets: the service's own config and database role (never an admin URL). */
export interface CliRuntime {
  config: AccountsConfig;
  db: AccountsDb;
  /** The audit context of a command: no ip, the command name as request id. */
  context: AuditContext;
  close(): Promise<void>;
}

const quietLogger = { info: () => undefined, warn: () => undefined, error: (object: object, message?: string) => console.error(message ?? '', object) };

export async function openCliRuntime(command: string): Promise<CliRuntime> {
  const config = loadAccountsConfig(process.env);
  const database = createDatabase({ ...databasePluginOptions(config, { applicationName: `accounts-${command}`, schema }), logger: quietLogger, certificateCheckIntervalMs: 0 });
  await database.ping();
  return {
    config,
    db: database.db as AccountsDb,
    context: { ip: undefined, requestId: `cli:${command}` },
    close: () => database.close(),
  };
}

/** `--name value` pairs and bare `--flags`; anything else is an error the caller reports. */
export function parseArgs(argv: readonly string[]): Map<string, string | true> {
  const args = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      args.set(arg.slice(2), next);
      i++;
    } else {
      args.set(arg.slice(2), true);
    }
  }
  return args;
}

/**
 * The password of a new account: from standard input when it is piped
 * (`printf '%s' "$PW" | pnpm create-admin …`), else asked on the terminal
 * without echo. Never an argument: arguments show in `ps` and shell history.
 */
export async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    let input = '';
    for await (const chunk of process.stdin) input += String(chunk);
    return input.replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  process.stdout.write(prompt);
  // Echo off: readline writes typed characters through _writeToOutput.
  (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => undefined;
  const password = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return password;
}

/** Runs a command body; errors end the process with one line and exit code 1. */
export async function runCli(command: string, body: (runtime: CliRuntime, args: Map<string, string | true>) => Promise<void>): Promise<void> {
  let runtime: CliRuntime | undefined;
  try {
    const args = parseArgs(process.argv.slice(2));
    runtime = await openCliRuntime(command);
    await body(runtime, args);
  } catch (error) {
    const problem = error as { message?: string; detail?: string };
    console.error(`${command} failed: ${problem.detail ?? problem.message ?? String(error)}`);
    process.exitCode = 1;
  } finally {
    await runtime?.close();
  }
}
