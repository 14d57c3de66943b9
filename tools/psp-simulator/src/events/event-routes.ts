import type { FastifyInstance } from 'fastify';
import { LIST_PARAMS, listPage } from '../api/pagination.js';
import { optionalBoolean, optionalString, optionalStringList } from '../api/params.js';
import type { SimulatorContext } from '../api/simulator-context.js';
import { noSuchObject } from '../api/stripe-error.js';
import { stripeRoutes } from '../api/stripe-route.js';

/** `type=payment_intent.*` matches every payment_intent event, as in Stripe. */
function typeMatcher(pattern: string): (type: string) => boolean {
  return pattern.endsWith('.*') ? (type) => type.startsWith(pattern.slice(0, -1)) : (type) => type === pattern;
}

/** Events: retrieve and list (by type, types[], created, delivery_success). */
export function eventRoutes(app: FastifyInstance, sim: SimulatorContext): void {
  const route = stripeRoutes(app, sim);
  route('GET', '/v1/events', [...LIST_PARAMS, 'type', 'types', 'delivery_success'], (request) => {
    const type = optionalString(request.params, 'type');
    const types = optionalStringList(request.params, 'types');
    const delivered = optionalBoolean(request.params, 'delivery_success');
    const matchers = [...(type ? [type] : []), ...(types ?? [])].map(typeMatcher);
    const items = request.account.events
      .newestFirst()
      .filter((event) => matchers.length === 0 || matchers.some((matches) => matches(event.type)))
      .filter((event) => delivered === undefined || (event.pending_webhooks === 0) === delivered);
    return listPage(items, request.params, '/v1/events', 'event');
  });
  route('GET', '/v1/events/:id', ['expand'], (request) => {
    const event = request.account.events.get(request.pathId ?? '');
    if (!event) throw noSuchObject('event', request.pathId ?? '', 'id');
    return event;
  });
}
