import { AppError, type AppErrorOptions } from './app-error.js';

export interface ErrorDefinition {
  readonly status: number;
  readonly title: string;
  /** Human explanation for docs/errors.md. */
  readonly description: string;
}

export type ErrorFactory = ((options?: AppErrorOptions) => AppError) & {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly description: string;
};

export type ErrorCatalogue<T extends Record<string, ErrorDefinition>> = { readonly [K in keyof T]: ErrorFactory };

const registry = new Map<string, ErrorDefinition & { code: string; area: string }>();

/**
 * Declares the errors of one area (DESIGN.md §3.7). Codes are `<AREA>_<CONDITION>`
 * and globally unique; declaring one twice with another meaning is a bug we
 * want to see at import time, not in production.
 */
export function defineErrors<T extends Record<string, ErrorDefinition>>(area: string, definitions: T): ErrorCatalogue<T> {
  const catalogue: Record<string, ErrorFactory> = {};
  for (const [code, definition] of Object.entries(definitions)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(code)) throw new Error(`Error code ${code} must be UPPER_SNAKE_CASE`);
    const existing = registry.get(code);
    if (existing && (existing.status !== definition.status || existing.title !== definition.title)) {
      throw new Error(`Error code ${code} is declared twice with different meanings (${existing.area}, ${area})`);
    }
    registry.set(code, { ...definition, code, area });
    const factory = (options?: AppErrorOptions) => new AppError(definition.status, code, definition.title, options);
    catalogue[code] = Object.assign(factory, { code, ...definition });
  }
  return catalogue as ErrorCatalogue<T>;
}

/** Every declared error, for docs/errors.md generation and tests. */
export function listDeclaredErrors(): ReadonlyArray<ErrorDefinition & { code: string; area: string }> {
  return [...registry.values()].sort((a, b) => a.area.localeCompare(b.area) || a.code.localeCompare(b.code));
}
