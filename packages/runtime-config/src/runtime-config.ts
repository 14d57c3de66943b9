import { isRuntimeKey, runtimeDefaults, validateRuntimeValue, type RuntimeKey, type RuntimeValues } from './runtime-keys.js';
import { errorMessage, type RuntimeConfigLogger } from './logger.js';

export type ChangeListener<K extends RuntimeKey> = (value: RuntimeValues[K], previous: RuntimeValues[K]) => void;

/**
 * Live settings (R-OPS-3). `get` is synchronous and never fails: it returns
 * the last valid value seen, or the default. Implementations: NATS KV
 * (createNatsRuntimeConfig) and in-memory (createMemoryRuntimeConfig).
 */
export interface RuntimeConfig {
  get<K extends RuntimeKey>(key: K): RuntimeValues[K];
  /** A copy of every value. */
  all(): RuntimeValues;
  /** Called after `key` changes; returns the unsubscribe function. */
  onChange<K extends RuntimeKey>(key: K, listener: ChangeListener<K>): () => void;
  close(): Promise<void>;
}

/**
 * The values and listeners both implementations share. Every change is logged
 * with key, old and new value (the values are not secret); an invalid value is
 * logged and the previous one kept.
 */
export class RuntimeValueStore {
  #values: RuntimeValues = runtimeDefaults();
  readonly #listeners = new Map<RuntimeKey, Set<ChangeListener<RuntimeKey>>>();

  constructor(private readonly log: RuntimeConfigLogger) {}

  get<K extends RuntimeKey>(key: K): RuntimeValues[K] {
    return this.#values[key];
  }

  all(): RuntimeValues {
    return { ...this.#values };
  }

  onChange<K extends RuntimeKey>(key: K, listener: ChangeListener<K>): () => void {
    let set = this.#listeners.get(key);
    if (!set) this.#listeners.set(key, (set = new Set()));
    const entry = listener as unknown as ChangeListener<RuntimeKey>;
    set.add(entry);
    return () => void set.delete(entry);
  }

  /** Applies a raw JSON value from the bucket; `undefined` (deleted/purged) restores the default. */
  applyRaw(key: string, raw: string | undefined, origin: Record<string, unknown> = {}): void {
    if (!isRuntimeKey(key)) {
      this.log.warn({ key, ...origin }, 'runtime config: unknown key ignored');
      return;
    }
    if (raw === undefined) {
      this.set(key, runtimeDefaults()[key], { ...origin, reason: 'deleted: default restored' });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      this.log.error({ key, raw: raw.slice(0, 200), kept: this.#values[key], ...origin }, 'runtime config: value is not JSON; previous value kept');
      return;
    }
    this.apply(key, value, origin);
  }

  /** Validates and applies a decoded value; invalid values are logged and ignored. */
  apply(key: RuntimeKey, value: unknown, origin: Record<string, unknown> = {}): boolean {
    try {
      this.set(key, validateRuntimeValue(key, value), origin);
      return true;
    } catch (error) {
      this.log.error({ key, rejected: value, kept: this.#values[key], err: errorMessage(error), ...origin }, 'runtime config: invalid value rejected; previous value kept');
      return false;
    }
  }

  private set<K extends RuntimeKey>(key: K, value: RuntimeValues[K], origin: Record<string, unknown>): void {
    const previous = this.#values[key];
    if (Object.is(previous, value)) return;
    this.#values = { ...this.#values, [key]: value };
    this.log.info({ key, old: previous, new: value, ...origin }, 'runtime config changed');
    for (const listener of this.#listeners.get(key) ?? []) {
      try {
        listener(value, previous);
      } catch (error) {
        this.log.error({ key, err: errorMessage(error) }, 'runtime config listener failed');
      }
    }
  }
}
