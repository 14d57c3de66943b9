import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { authenticate } from '../api/authenticate.js';
import type { SimulatorContext } from '../api/simulator-context.js';
import { StripeError } from '../api/stripe-error.js';
import { FaultSpec } from '../faults/fault-spec.js';
import type { Metadata } from '../state/objects.js';
import type { WebhookTarget } from '../webhooks/webhook-dispatcher.js';
import { chargeReport } from './charge-report.js';

const WebhookBody = Type.Object(
  { url: Type.Union([Type.String({ pattern: '^https?://' }), Type.Null()]), secret: Type.Optional(Type.String({ minLength: 1 })) },
  { additionalProperties: false },
);
const ChargeQuery = Type.Object({
  idempotency_key: Type.Optional(Type.String()),
  payment_intent: Type.Optional(Type.String()),
  metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
});
const DeliveryQuery = Type.Object({
  event: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  status: Type.Optional(Type.Union(['pending', 'succeeded', 'failed', 'dropped'].map((value) => Type.Literal(value)))),
});
const IdParams = Type.Object({ id: Type.String() });

function notFound(what: string): StripeError {
  return new StripeError(404, 'invalid_request_error', `No such ${what}`, { code: 'resource_missing' }, { stored: false });
}

/**
 * The control API under /_sim (README: "Control API"). A request with an
 * `Authorization: Bearer sk_test_…` header acts on that key's account only;
 * without one it acts on the whole simulator.
 */
export function controlRoutes(app: FastifyInstance, sim: SimulatorContext, configured: { webhook: WebhookTarget | undefined; secret: string }): void {
  const scope = (request: FastifyRequest) => (request.headers.authorization ? authenticate(request.headers.authorization, sim.apiKeys) : undefined);

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/_sim', async () => ({
    time_factor: sim.timeScale.factor,
    default_webhook_url: sim.dispatcher.defaultTarget?.url ?? null,
    accounts: sim.accounts.scope(undefined).length,
    faults: sim.faults.list(undefined).length,
    in_flight_requests: sim.inFlight.count,
  }));

  app.post('/_sim/reset', async (request) => {
    const apiKey = scope(request);
    sim.accounts.reset(apiKey);
    sim.faults.clear(apiKey);
    if (apiKey === undefined) {
      sim.dispatcher.clearLog();
      sim.dispatcher.defaultTarget = configured.webhook;
    }
    return { reset: apiKey === undefined ? 'all' : 'account' };
  });

  app.post('/_sim/faults', { schema: { body: FaultSpec } }, async (request, reply) => {
    const rule = sim.faults.add(request.body as FaultSpec, scope(request));
    return reply.code(201).send(rule);
  });
  app.get('/_sim/faults', async (request) => ({ data: sim.faults.list(scope(request)) }));
  app.delete('/_sim/faults', async (request) => {
    sim.faults.clear(scope(request));
    return { deleted: true };
  });
  app.delete('/_sim/faults/:id', { schema: { params: IdParams } }, async (request) => {
    const { id } = request.params as Static<typeof IdParams>;
    if (!sim.faults.remove(id, scope(request))) throw notFound(`fault: '${id}'`);
    return { id, deleted: true };
  });

  app.get('/_sim/charges', { schema: { querystring: ChargeQuery } }, async (request) => {
    const query = request.query as Static<typeof ChargeQuery>;
    return chargeReport(sim.accounts.scope(scope(request)), {
      ...(query.idempotency_key !== undefined ? { idempotencyKey: query.idempotency_key } : {}),
      ...(query.payment_intent !== undefined ? { paymentIntent: query.payment_intent } : {}),
      ...(query.metadata ? { metadata: query.metadata as Metadata } : {}),
    });
  });

  app.put('/_sim/webhook', { schema: { body: WebhookBody } }, async (request) => {
    const body = request.body as Static<typeof WebhookBody>;
    const apiKey = scope(request);
    const secret = body.secret ?? configured.secret;
    if (apiKey === undefined) {
      sim.dispatcher.defaultTarget = body.url === null ? undefined : { url: body.url, secret };
    } else {
      const account = sim.accounts.forKey(apiKey);
      for (const endpoint of [...account.webhookEndpoints.all()]) account.webhookEndpoints.delete(endpoint.id);
      if (body.url !== null) {
        account.webhookEndpoints.put({
          id: 'we_simulator',
          object: 'webhook_endpoint',
          api_version: null,
          created: Math.floor(Date.now() / 1000),
          description: 'set through PUT /_sim/webhook',
          enabled_events: ['*'],
          livemode: false,
          metadata: {},
          secret,
          status: 'enabled',
          url: body.url,
        });
      }
    }
    return { url: body.url, secret: body.url === null ? null : secret, scope: apiKey === undefined ? 'default' : 'account' };
  });

  app.get('/_sim/webhook-deliveries', { schema: { querystring: DeliveryQuery } }, async (request) => {
    const apiKey = scope(request);
    const query = request.query as Static<typeof DeliveryQuery>;
    return { data: sim.dispatcher.list({ ...query, ...(apiKey !== undefined ? { accounts: sim.accounts.scope(apiKey) } : {}) }) };
  });

  app.post('/_sim/events/:id/resend', { schema: { params: IdParams } }, async (request) => {
    const { id } = request.params as Static<typeof IdParams>;
    const account = sim.accounts.scope(scope(request)).find((candidate) => candidate.events.get(id));
    const event = account?.events.get(id);
    if (!account || !event) throw notFound(`event: '${id}'`);
    sim.dispatcher.resend(account, event);
    return { id, resent: true };
  });

  app.post('/_sim/idempotency/expire', async (request) => {
    const expired = sim.accounts.scope(scope(request)).reduce((sum, account) => sum + account.idempotency.expireAll(), 0);
    return { expired };
  });
}
