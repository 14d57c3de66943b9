import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { LIST_PARAMS, listPage } from '../api/pagination.js';
import { metadataUpdate, optionalBoolean, optionalString, optionalStringList, requiredString, type Params } from '../api/params.js';
import type { SimulatorContext } from '../api/simulator-context.js';
import { invalidParam, missingParam, noSuchObject } from '../api/stripe-error.js';
import { stripeRoutes, type StripeRequest } from '../api/stripe-route.js';
import { newId, unixNow } from '../state/ids.js';
import type { WebhookEndpoint } from '../state/objects.js';

const PATH = '/v1/webhook_endpoints';

function endpointUrl(params: Params): string {
  const url = requiredString(params, 'url');
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw invalidParam('url', `Invalid URL: ${url}`, 'url_invalid');
  return url;
}

function enabledEvents(params: Params): string[] {
  const events = optionalStringList(params, 'enabled_events');
  if (!events || events.length === 0) throw missingParam('enabled_events');
  return events;
}

function find(request: StripeRequest): WebhookEndpoint {
  const endpoint = request.account.webhookEndpoints.get(request.pathId ?? '');
  if (!endpoint) throw noSuchObject('webhook_endpoint', request.pathId ?? '', 'webhook_endpoint');
  return endpoint;
}

/** Without the secret, which Stripe shows only when the endpoint is created. */
function withoutSecret({ secret: _secret, ...endpoint }: WebhookEndpoint): Omit<WebhookEndpoint, 'secret'> {
  return endpoint;
}

/**
 * Webhook endpoints as Stripe's API manages them: an account with endpoints
 * gets its events there (signed with each endpoint's own whsec_ secret)
 * instead of at the simulator's default endpoint.
 */
export function webhookEndpointRoutes(app: FastifyInstance, sim: SimulatorContext): void {
  const route = stripeRoutes(app, sim);
  route('POST', PATH, ['url', 'enabled_events', 'description', 'metadata', 'api_version', 'connect', 'expand'], (request) => {
    const endpoint: WebhookEndpoint = {
      id: newId('we'),
      object: 'webhook_endpoint',
      api_version: optionalString(request.params, 'api_version') ?? null,
      created: unixNow(),
      description: optionalString(request.params, 'description') ?? null,
      enabled_events: enabledEvents(request.params),
      livemode: false,
      metadata: metadataUpdate(request.params) ?? {},
      secret: `whsec_${randomBytes(24).toString('base64url')}`,
      status: 'enabled',
      url: endpointUrl(request.params),
    };
    return request.account.webhookEndpoints.put(endpoint);
  });
  route('GET', PATH, LIST_PARAMS, (request) => {
    const page = listPage(request.account.webhookEndpoints.newestFirst(), request.params, PATH, 'webhook_endpoint');
    return { ...page, data: page.data.map(withoutSecret) };
  });
  route('GET', `${PATH}/:id`, ['expand'], (request) => withoutSecret(find(request)));
  route('POST', `${PATH}/:id`, ['url', 'enabled_events', 'description', 'metadata', 'disabled', 'expand'], (request) => {
    const endpoint = find(request);
    const { params } = request;
    if (params['url'] !== undefined) endpoint.url = endpointUrl(params);
    if (params['enabled_events'] !== undefined) endpoint.enabled_events = enabledEvents(params);
    if (params['description'] !== undefined) endpoint.description = optionalString(params, 'description') ?? null;
    const disabled = optionalBoolean(params, 'disabled');
    if (disabled !== undefined) endpoint.status = disabled ? 'disabled' : 'enabled';
    endpoint.metadata = metadataUpdate(params, endpoint.metadata) ?? endpoint.metadata;
    return withoutSecret(endpoint);
  });
  route('DELETE', `${PATH}/:id`, [], (request) => {
    const endpoint = find(request);
    request.account.webhookEndpoints.delete(endpoint.id);
    return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
  });
}
