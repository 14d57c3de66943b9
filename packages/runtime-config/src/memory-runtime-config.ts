import { silentLogger, type RuntimeConfigLogger } from './logger.js';
import { RuntimeValueStore, type RuntimeConfig } from './runtime-config.js';
import { validateRuntimeValue, type RuntimeKey, type RuntimeValues } from './runtime-keys.js';

export interface MemoryRuntimeConfig extends RuntimeConfig {
  /** Validates and applies a value (throws RuntimeValueError when invalid). */
  set<K extends RuntimeKey>(key: K, value: RuntimeValues[K]): void;
}

/** The same interface without NATS: unit tests, and a service deliberately run without live config. */
export function createMemoryRuntimeConfig(initial: Partial<RuntimeValues> = {}, log: RuntimeConfigLogger = silentLogger): MemoryRuntimeConfig {
  const store = new RuntimeValueStore(log);
  for (const [key, value] of Object.entries(initial) as [RuntimeKey, unknown][]) store.apply(key, validateRuntimeValue(key, value), { source: 'initial' });
  return {
    get: (key) => store.get(key),
    all: () => store.all(),
    onChange: (key, listener) => store.onChange(key, listener),
    set(key, value) {
      store.apply(key, validateRuntimeValue(key, value), { source: 'memory' });
    },
    close: async () => undefined,
  };
}
