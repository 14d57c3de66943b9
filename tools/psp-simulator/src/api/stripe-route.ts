import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EventCause } from '../events/event-bus.js';
import type { Account } from '../state/account.js';
import { newId } from '../state/ids.js';
import { authenticate } from './authenticate.js';
import { MAX_IDEMPOTENCY_KEY_LENGTH, type StoredResponse } from './idempotency-store.js';
import { rejectUnknown, type Params } from './params.js';
import { requestSubject } from './request-subject.js';
import type { SimulatorContext } from './simulator-context.js';
import { StripeError } from './stripe-error.js';
import { stripeJson as serialise } from './stripe-json.js';

/** What a Stripe endpoint handler gets. */
export interface StripeRequest {
  account: Account;
  params: Params;
  pathId: string | undefined;
  cause: EventCause;
  /** Set by handlers when money moved, for the timeout-after-charge faults. */
  effects: { charged: boolean; refunded: boolean };
}

export interface StripeRoute {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  handler: (request: StripeRequest) => unknown;
}

interface Outcome {
  status: number;
  body: string;
  stored: boolean;
  headers: Record<string, string>;
}


function errorOutcome(error: unknown): Outcome {
  if (error instanceof StripeError) return { status: error.status, body: serialise(error.body()), stored: error.stored, headers: error.headers };
  // Stripe saves its own 500s for idempotent replay too.
  const body = new StripeError(500, 'api_error', 'An unknown error occurred').body();
  return { status: 500, body: serialise(body), stored: true, headers: {} };
}

function idempotencyError(message: string): StripeError {
  return new StripeError(400, 'idempotency_error', message, {}, { stored: false });
}

/**
 * Registers one Stripe endpoint behind the pipeline every Stripe request goes
 * through: request id → authentication → injected 5xx → Idempotency-Key
 * (claim, replay, 409 while in flight, 400 on reuse) → injected latency →
 * handler → saved result → injected loss of the answer after a charge.
 */
function registerStripeRoute(app: FastifyInstance, sim: SimulatorContext, route: StripeRoute): void {
  app.route({
    method: route.method,
    url: route.url,
    handler: async (request, reply) => {
      const requestId = newId('req', 14);
      const apiVersion = headerValue(request, 'stripe-version') ?? sim.defaultApiVersion;
      void reply.header('request-id', requestId).header('stripe-version', apiVersion).type('application/json');
      sim.inFlight.count += 1;
      try {
        await handle(sim, route, request, reply, requestId, apiVersion);
      } catch (error) {
        send(reply, errorOutcome(error));
      } finally {
        sim.inFlight.count -= 1;
      }
    },
  });
}

async function handle(sim: SimulatorContext, route: StripeRoute, request: FastifyRequest, reply: FastifyReply, requestId: string, apiVersion: string): Promise<void> {
  const account = sim.accounts.forKey(authenticate(request.headers.authorization, sim.apiKeys));
  const params = ((route.method === 'POST' ? request.body : request.query) ?? {}) as Params;
  const pathId = (request.params as { id?: string }).id;
  const path = request.url.split('?')[0] ?? '';
  const subject = requestSubject(account, route.method, path, params, pathId);

  const failStatus = sim.faults.takeFailure(subject);
  if (failStatus !== undefined) {
    throw new StripeError(failStatus, 'api_error', 'An unknown error occurred (injected by the PSP simulator).', {}, { stored: false });
  }

  // Stripe ignores Idempotency-Key on GET and DELETE, which are idempotent anyway.
  const key = route.method === 'POST' ? headerValue(request, 'idempotency-key') || undefined : undefined;
  if (key !== undefined) {
    const claim = claimKey(account, key, `${route.method} ${path}`, params);
    void reply.header('idempotency-key', key);
    if (claim) {
      void reply.header('idempotent-replayed', 'true').header('original-request', claim.requestId);
      return send(reply, { status: claim.status, body: claim.body, stored: true, headers: {} });
    }
  }

  const latency = sim.faults.takeLatency(subject);
  if (latency > 0) await delay(latency, undefined, { signal: sim.closing }).catch(() => undefined);

  const stripeRequest: StripeRequest = {
    account,
    params,
    pathId,
    cause: { requestId, idempotencyKey: key ?? null, apiVersion },
    effects: { charged: false, refunded: false },
  };
  let outcome: Outcome;
  try {
    outcome = { status: 200, body: serialise(await route.handler(stripeRequest)), stored: true, headers: {} };
  } catch (error) {
    outcome = errorOutcome(error);
  }
  if (key !== undefined) {
    if (outcome.stored) account.idempotency.complete(key, { status: outcome.status, body: outcome.body, requestId });
    else account.idempotency.release(key);
  }

  const effect = stripeRequest.effects.charged ? 'charge' : stripeRequest.effects.refunded ? 'refund' : undefined;
  const lost = effect ? sim.faults.takeTimeout(subject, effect) : undefined;
  if (lost) return loseAnswer(sim, request, reply, lost);
  send(reply, outcome);
}

/**
 * Claims the key for this request, or returns the saved answer to replay;
 * throws Stripe's errors for a key in flight or used differently.
 */
function claimKey(account: Account, key: string, endpoint: string, params: Params): StoredResponse | undefined {
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw idempotencyError(`Idempotency-Key is too long: keys for idempotent requests can be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long.`);
  }
  const claim = account.idempotency.claim(key, endpoint, params);
  switch (claim.kind) {
    case 'claimed':
      return undefined;
    case 'replay':
      return claim.response;
    case 'in_flight':
      throw new StripeError(
        409,
        'invalid_request_error',
        `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        { code: 'idempotency_key_in_use' },
        { stored: false, headers: { 'stripe-should-retry': 'true' } },
      );
    case 'other_endpoint':
      throw idempotencyError(
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${claim.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    case 'other_params':
      throw idempotencyError(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
  }
}

/** Registers endpoints that take exactly the `allowed` parameters (others: 400 parameter_unknown, like Stripe). */
export function stripeRoutes(app: FastifyInstance, sim: SimulatorContext) {
  return (method: StripeRoute['method'], url: string, allowed: readonly string[], run: (request: StripeRequest) => object): void =>
    registerStripeRoute(app, sim, {
      method,
      url,
      handler: (request) => {
        rejectUnknown(request.params, allowed);
        return run(request);
      },
    });
}

function send(reply: FastifyReply, outcome: Outcome): void {
  for (const [name, value] of Object.entries(outcome.headers)) void reply.header(name, value);
  void reply.code(outcome.status).send(outcome.body);
}

/** The work is done and saved, but the client never hears of it. */
function loseAnswer(sim: SimulatorContext, request: FastifyRequest, reply: FastifyReply, mode: 'reset' | 'hang'): void {
  reply.hijack();
  const socket = request.raw.socket;
  if (mode === 'reset') {
    socket.destroy();
    return;
  }
  sim.hungSockets.add(socket);
  socket.once('close', () => sim.hungSockets.delete(socket));
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
