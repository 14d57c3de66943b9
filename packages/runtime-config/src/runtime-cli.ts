import { connect, type NatsConnection } from '@nats-io/transport-node';
import { errorMessage } from './logger.js';
import { DEFAULT_RUNTIME_BUCKET, openRuntimeBucket } from './runtime-bucket.js';
import { assertRuntimeKey, parseRuntimeValue, RUNTIME_KEYS, runtimeKeys, RuntimeValueError, validateRuntimeValue, type RuntimeKey } from './runtime-keys.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = `usage: runtime <command> [--nats URL] [--bucket NAME]
  list                 every key: value, (default) when unset
  get <key>            one value as JSON
  set <key> <value>    validate and store; JSON or a bare word: set maintenance true, set waf.mode block
  unset <key>          delete: back to the default
keys: ${RUNTIME_KEYS.join(', ')}
env: NATS_URL (default nats://127.0.0.1:4222), RUNTIME_BUCKET (default runtime)`;

class UsageError extends Error {}

function parseArgs(argv: string[], env: CliIo['env']): { positional: string[]; nats: string; bucket: string } {
  const positional: string[] = [];
  let nats = env['NATS_URL'] || 'nats://127.0.0.1:4222';
  let bucket = env['RUNTIME_BUCKET'] || DEFAULT_RUNTIME_BUCKET;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--nats' || arg === '--bucket') {
      const value = argv[++i];
      if (!value) throw new UsageError(`${arg} needs a value`);
      if (arg === '--nats') nats = value;
      else bucket = value;
    } else if (arg === '-h' || arg === '--help') {
      positional.unshift('help');
    } else {
      positional.push(arg);
    }
  }
  return { positional, nats, bucket };
}

/** The `runtime` command (R-OPS-3); returns the exit code: 0 ok, 1 NATS failure, 2 bad usage or value. */
export async function runRuntimeCli(argv: string[], io: CliIo): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, io.env);
  } catch (error) {
    io.err(`${errorMessage(error)}\n${USAGE}`);
    return 2;
  }
  const [command, key, value, ...extra] = args.positional;
  // Everything the operator typed is checked before NATS is contacted.
  try {
    switch (command) {
      case 'help':
      case undefined:
        io.out(USAGE);
        return command === 'help' ? 0 : 2;
      case 'list':
        if (key !== undefined) throw new UsageError('list takes no arguments');
        break;
      case 'get':
      case 'unset':
        if (key === undefined || value !== undefined) throw new UsageError(`${command} takes one key`);
        assertRuntimeKey(key);
        break;
      case 'set':
        if (key === undefined || value === undefined || extra.length > 0) throw new UsageError('set takes a key and a value (quote JSON strings: set waf.mode \'"block"\', or just: set waf.mode block)');
        assertRuntimeKey(key);
        parseRuntimeValue(key, value);
        break;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) io.err(`${error.message}\n${USAGE}`);
    else if (error instanceof RuntimeValueError) io.err(error.message);
    else throw error;
    return 2;
  }

  let nc: NatsConnection;
  try {
    nc = await connect({ servers: args.nats.split(','), name: 'runtime-cli', timeout: 3_000, reconnect: false });
  } catch (error) {
    io.err(`cannot reach NATS at ${args.nats}: ${errorMessage(error)}`);
    return 1;
  }
  try {
    const kv = await openRuntimeBucket(nc, args.bucket);
    const read = async (k: RuntimeKey): Promise<{ value: unknown; set: boolean; revision?: number; invalid?: string }> => {
      const entry = await kv.get(k);
      if (!entry || entry.operation !== 'PUT') return { value: runtimeKeys[k].default, set: false };
      try {
        return { value: validateRuntimeValue(k, JSON.parse(entry.string())), set: true, revision: entry.revision };
      } catch (error) {
        return { value: runtimeKeys[k].default, set: true, revision: entry.revision, invalid: `${entry.string()} (${errorMessage(error)}; services keep their last good value)` };
      }
    };
    switch (command) {
      case 'list': {
        const width = Math.max(...RUNTIME_KEYS.map((k) => k.length));
        for (const k of RUNTIME_KEYS) {
          const current = await read(k);
          const note = current.invalid ? `  INVALID: ${current.invalid}` : current.set ? `  (rev ${current.revision})` : '  (default)';
          io.out(`${k.padEnd(width)}  ${JSON.stringify(current.value)}${note}`);
        }
        return 0;
      }
      case 'get': {
        const current = await read(key as RuntimeKey);
        if (current.invalid) io.err(`stored value is invalid: ${current.invalid}`);
        io.out(JSON.stringify(current.value));
        return 0;
      }
      case 'set': {
        const k = key as RuntimeKey;
        const next = parseRuntimeValue(k, value!);
        const previous = await read(k);
        const revision = await kv.put(k, JSON.stringify(next));
        io.out(`${k}: ${JSON.stringify(previous.value)} → ${JSON.stringify(next)} (rev ${revision}, bucket ${args.bucket})`);
        return 0;
      }
      case 'unset': {
        const k = key as RuntimeKey;
        const previous = await read(k);
        await kv.delete(k);
        io.out(`${k}: ${JSON.stringify(previous.value)} → ${JSON.stringify(runtimeKeys[k].default)} (default, bucket ${args.bucket})`);
        return 0;
      }
    }
    return 2;
  } catch (error) {
    io.err(`runtime ${command} failed: ${errorMessage(error)}`);
    return 1;
  } finally {
    await nc.close();
  }
}
