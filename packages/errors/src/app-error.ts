import type { ProblemFieldError } from './problem-schema.js';

export interface AppErrorOptions {
  detail?: string;
  errors?: ProblemFieldError[];
  /** Extra problem members (RFC 9457 §3.2 extensions), e.g. `ruleIds`. */
  extensions?: Record<string, unknown>;
  /** Response headers that belong to this error, e.g. Retry-After or Allow. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * An error with a stable `code` and HTTP status. Throw it anywhere (route,
 * hook, plugin); the error boundary turns it into problem+json.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: ProblemFieldError[] | undefined;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, title: string, options: AppErrorOptions = {}) {
    super(options.detail ?? title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = options.detail ?? title;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
