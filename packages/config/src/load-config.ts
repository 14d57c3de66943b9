import type { Static, TObject, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { ConfigError } from './config-error.js';
import { describeSchema } from './describe-schema.js';

export type Env = Record<string, string | undefined>;

/**
 * Reads the variables `schema` names from `env`, applies defaults, converts
 * strings to numbers and booleans, and validates. The first bad variable
 * throws a ConfigError whose message names it and its expected form, so a bad
 * deploy fails at boot (DESIGN.md §3.2).
 */
export function loadConfig<T extends TObject>(schema: T, env: Env): Static<T> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    // An empty variable means "unset": `FOO= node server.js` must not yield "".
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(schema, raw) as Record<string, unknown>;
  const converted = Value.Convert(schema, withDefaults) as Record<string, unknown>;
  if (Value.Check(schema, converted)) return converted as Static<T>;

  const first = [...Value.Errors(schema, converted)][0];
  const variable = first?.instancePath.replace(/^\//, '') || requiredMissing(schema, converted) || 'unknown';
  const property = (schema.properties as Record<string, TSchema>)[variable];
  const received = env[variable];
  throw new ConfigError(variable, property ? describeSchema(property) : 'a valid value', received === '' ? undefined : received);
}

function requiredMissing(schema: TObject, value: Record<string, unknown>): string | undefined {
  return (schema.required ?? []).find((key) => value[key] === undefined);
}
