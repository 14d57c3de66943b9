import type { FastifyInstance } from 'fastify';
import { expandList, expandObject } from '../api/expand.js';
import { LIST_PARAMS, listPage } from '../api/pagination.js';
import { optionalString } from '../api/params.js';
import type { SimulatorContext } from '../api/simulator-context.js';
import { noSuchObject } from '../api/stripe-error.js';
import { stripeRoutes } from '../api/stripe-route.js';

/** Charges (read-only here: PaymentIntents make them) and the PaymentMethods made from test tokens. */
export function chargeRoutes(app: FastifyInstance, sim: SimulatorContext): void {
  const route = stripeRoutes(app, sim);
  route('GET', '/v1/charges', [...LIST_PARAMS, 'payment_intent', 'customer'], (request) => {
    const intent = optionalString(request.params, 'payment_intent');
    const items = request.account.charges.newestFirst().filter((charge) => intent === undefined || charge.payment_intent === intent);
    return expandList(request.account, listPage(items, request.params, '/v1/charges', 'charge'), request.params);
  });
  route('GET', '/v1/charges/:id', ['expand'], (request) => {
    const charge = request.account.charges.get(request.pathId ?? '');
    if (!charge) throw noSuchObject('charge', request.pathId ?? '', 'id');
    return expandObject(request.account, charge, request.params);
  });
  route('GET', '/v1/payment_methods/:id', ['expand'], (request) => {
    const method = request.account.paymentMethods.get(request.pathId ?? '');
    if (!method) throw noSuchObject('PaymentMethod', request.pathId ?? '', 'payment_method');
    return method;
  });
}
