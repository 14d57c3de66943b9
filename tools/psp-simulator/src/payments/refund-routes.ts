import type { FastifyInstance } from 'fastify';
import { expandList, expandObject } from '../api/expand.js';
import { LIST_PARAMS, listPage } from '../api/pagination.js';
import { optionalString } from '../api/params.js';
import type { SimulatorContext } from '../api/simulator-context.js';
import { stripeRoutes } from '../api/stripe-route.js';
import { REFUND_PARAMS, Refunds } from './refunds.js';

const PATH = '/v1/refunds';

/** Refunds: create, retrieve, update metadata, list (by payment_intent or charge). */
export function refundRoutes(app: FastifyInstance, sim: SimulatorContext): void {
  const refunds = new Refunds(sim.bus);
  const route = stripeRoutes(app, sim);
  route('POST', PATH, REFUND_PARAMS, (request) => expandObject(request.account, refunds.create(request), request.params));
  route('GET', PATH, [...LIST_PARAMS, 'payment_intent', 'charge'], (request) => {
    const intent = optionalString(request.params, 'payment_intent');
    const charge = optionalString(request.params, 'charge');
    const items = request.account.refunds
      .newestFirst()
      .filter((refund) => (intent === undefined || refund.payment_intent === intent) && (charge === undefined || refund.charge === charge));
    return expandList(request.account, listPage(items, request.params, PATH, 'refund'), request.params);
  });
  route('GET', `${PATH}/:id`, ['expand'], (request) => expandObject(request.account, refunds.find(request, request.pathId ?? ''), request.params));
  route('POST', `${PATH}/:id`, ['metadata', 'expand'], (request) => expandObject(request.account, refunds.update(request, request.pathId ?? ''), request.params));
}
