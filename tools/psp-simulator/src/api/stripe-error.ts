/**
 * Stripe's error body `{ error: { type, code, message, param, … } }` with its
 * HTTP status. `stored` says whether an idempotent request that ends in this
 * error keeps it for replay: Stripe saves a result only once the endpoint
 * began executing, never for a failed parameter validation.
 */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorFields {
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  [extra: string]: unknown;
}

export class StripeError extends Error {
  readonly stored: boolean;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly fields: StripeErrorFields = {},
    options: { stored?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.stored = options.stored ?? true;
    this.headers = options.headers ?? {};
  }

  body(): { error: Record<string, unknown> } {
    const docUrl = this.fields.code ? `https://stripe.com/docs/error-codes/${this.fields.code.replace(/_/g, '-')}` : undefined;
    return { error: { ...(docUrl ? { doc_url: docUrl } : {}), ...this.fields, message: this.message, type: this.type } };
  }
}

/** A parameter problem found before the endpoint ran: never stored for idempotent replay. */
export function invalidParam(param: string, message: string, code = 'parameter_invalid_string'): StripeError {
  return new StripeError(400, 'invalid_request_error', message, { code, param }, { stored: false });
}

export function missingParam(param: string): StripeError {
  return new StripeError(400, 'invalid_request_error', `Missing required param: ${param}.`, { code: 'parameter_missing', param }, { stored: false });
}

/**
 * `No such payment_intent: 'pi_x'`: 404 for the object a path names, 400 for
 * one a parameter names; never stored (nothing ran).
 */
export function noSuchObject(resource: string, id: string, param: string, status: 404 | 400 = 404): StripeError {
  return new StripeError(status, 'invalid_request_error', `No such ${resource}: '${id}'`, { code: 'resource_missing', param }, { stored: false });
}

/** A state conflict found while the endpoint ran (stored, like Stripe). */
export function unexpectedState(message: string, fields: StripeErrorFields = {}): StripeError {
  return new StripeError(400, 'invalid_request_error', message, { code: 'payment_intent_unexpected_state', ...fields });
}
