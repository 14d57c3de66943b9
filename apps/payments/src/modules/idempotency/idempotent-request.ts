import { isAppError, PROBLEM_CONTENT_TYPE, toProblem } from '@bursary/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdempotencyErrors } from './idempotency-errors.js';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey } from './idempotency-key.js';
import { requestFingerprint } from './request-fingerprint.js';
import type { ClaimedKey, IdempotencyStore, StoredResponse } from './idempotency-store.js';

export const REPLAYED_HEADER = 'idempotent-replayed';
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A successful terminal outcome of an operation. */
export interface Outcome {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface IdempotentOperation {
  principal: string;
  /** e.g. `purchase.create`: keys are unique per (principal, operation, key). */
  operation: string;
  /** The validated body the key is bound to. */
  body: unknown;
  /** The work, resumable from `claimed.recoveryPoint`. Throws AppError (<500) for a terminal refusal. */
  run: (claimed: ClaimedKey) => Promise<Outcome>;
}

/** Route hook: a missing or malformed key is a 400 before the body is even validated (R-PAY-2). */
export async function requireIdempotencyKey(request: FastifyRequest): Promise<void> {
  parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
}

function send(reply: FastifyReply, response: StoredResponse, replayed: boolean): FastifyReply {
  reply.code(response.status).headers(response.headers);
  if (replayed) reply.header(REPLAYED_HEADER, 'true');
  // A string is sent as it is: the replay is the first answer, byte for byte.
  return reply.send(response.body);
}

/**
 * Runs a money-moving request under its Idempotency-Key (R-PAY-2):
 * claimed atomically before any work; a completed key replays its stored
 * response byte-identical with `Idempotent-Replayed: true`; a key in flight is
 * 409 with Retry-After; the same key with another body is 422. Terminal
 * outcomes (success or a 4xx refusal) are stored; a 5xx or crash is not: the
 * key stays at its recovery point and the next retry resumes from there.
 */
export async function handleIdempotently(
  request: FastifyRequest,
  reply: FastifyReply,
  store: IdempotencyStore,
  retryAfterSeconds: number,
  operation: IdempotentOperation,
): Promise<FastifyReply> {
  const scope = { principal: operation.principal, operation: operation.operation, key: parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER]) };
  const claim = await store.claim(scope, requestFingerprint(operation.body));
  if (claim.kind === 'completed') return send(reply, claim.response, true);
  if (claim.kind === 'mismatch') {
    throw IdempotencyErrors.IDEMPOTENCY_KEY_REUSED({ detail: 'This Idempotency-Key was first used with a different request body.' });
  }
  if (claim.kind === 'in_use') {
    throw IdempotencyErrors.IDEMPOTENCY_KEY_IN_USE({
      detail: 'A request with this Idempotency-Key is in progress; retry to get its outcome.',
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  }
  let response: StoredResponse;
  try {
    const outcome = await operation.run(claim.claimed);
    response = { status: outcome.status, headers: { 'content-type': JSON_CONTENT_TYPE, ...outcome.headers }, body: JSON.stringify(outcome.body) };
  } catch (error) {
    if (!isAppError(error) || error.status >= 500) {
      await store.release(scope).catch((releaseError: unknown) => request.log.error({ err: releaseError }, 'idempotency key release failed'));
      throw error;
    }
    reply.errorCode = error.code;
    response = { status: error.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...error.headers }, body: JSON.stringify(toProblem(error, request.id)) };
  }
  return send(reply, await store.complete(scope, response), false);
}
