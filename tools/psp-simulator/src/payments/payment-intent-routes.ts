import type { FastifyInstance } from 'fastify';
import { expandList, expandObject } from '../api/expand.js';
import { LIST_PARAMS, listPage } from '../api/pagination.js';
import { optionalString } from '../api/params.js';
import { SEARCH_PARAMS, searchPage } from '../api/search-page.js';
import type { SimulatorContext } from '../api/simulator-context.js';
import { stripeRoutes, type StripeRequest } from '../api/stripe-route.js';
import { CONFIRM_PARAMS, CREATE_PARAMS, UPDATE_PARAMS } from './payment-intent-params.js';
import { PaymentIntents } from './payment-intents.js';

const PATH = '/v1/payment_intents';
const SEARCH_FIELDS = {
  amount: { kind: 'number' },
  created: { kind: 'number' },
  currency: { kind: 'string' },
  customer: { kind: 'string' },
  metadata: { kind: 'string' },
  status: { kind: 'string' },
} as const;

function id(request: StripeRequest): string {
  return request.pathId ?? '';
}

/** PaymentIntents: create (and confirm), retrieve, update, confirm, capture, cancel, list, search. */
export function paymentIntentRoutes(app: FastifyInstance, sim: SimulatorContext): void {
  const intents = new PaymentIntents(sim.bus);
  const route = stripeRoutes(app, sim);

  route('POST', PATH, CREATE_PARAMS, (request) => expandObject(request.account, intents.create(request), request.params));
  route('GET', `${PATH}/search`, SEARCH_PARAMS, (request) =>
    expandList(request.account, searchPage(request.account.paymentIntents.newestFirst(), request.params, `${PATH}/search`, SEARCH_FIELDS), request.params),
  );
  route('GET', PATH, [...LIST_PARAMS, 'customer'], (request) => {
    const customer = optionalString(request.params, 'customer');
    const items = request.account.paymentIntents.newestFirst().filter((intent) => customer === undefined || intent.customer === customer);
    return expandList(request.account, listPage(items, request.params, PATH, 'payment_intent'), request.params);
  });
  route('GET', `${PATH}/:id`, ['client_secret', 'expand'], (request) => expandObject(request.account, intents.find(request, id(request)), request.params));
  route('POST', `${PATH}/:id`, UPDATE_PARAMS, (request) => expandObject(request.account, intents.update(request, id(request)), request.params));
  route('POST', `${PATH}/:id/confirm`, CONFIRM_PARAMS, (request) => expandObject(request.account, intents.confirm(request, id(request)), request.params));
  route('POST', `${PATH}/:id/capture`, ['amount_to_capture', 'expand', 'metadata', 'final_capture'], (request) =>
    expandObject(request.account, intents.capture(request, id(request)), request.params),
  );
  route('POST', `${PATH}/:id/cancel`, ['cancellation_reason', 'expand'], (request) => expandObject(request.account, intents.cancel(request, id(request)), request.params));
}
