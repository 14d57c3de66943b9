import { Type, type Static } from 'typebox';

const Count = (description: string) => Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description }));
const Millis = (description: string) => Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, description }));

/** The body of `POST /_sim/faults` (README: "Fault injection"). */
export const FaultSpec = Type.Object(
  {
    latencyMs: Millis('delay before each matching API request is answered'),
    requests: Count('how many matching API requests get latencyMs (default: all until removed)'),
    failNext5xx: Count('the next n matching API requests answer 5xx api_error without doing anything'),
    failStatus: Type.Optional(Type.Union([Type.Literal(500), Type.Literal(502), Type.Literal(503), Type.Literal(504)])),
    timeoutAfterCharge: Count('the next n matching requests that charge a card do so, then never answer'),
    timeoutAfterRefund: Count('the next n matching refund creations refund, then never answer'),
    timeoutMode: Type.Optional(Type.Union([Type.Literal('reset'), Type.Literal('hang')], { description: 'reset: destroy the socket (default); hang: keep it open without answering' })),
    duplicateWebhooks: Count('each matching event is delivered this many extra times, concurrently'),
    outOfOrderWebhooks: Type.Optional(Type.Boolean({ description: 'hold matching events for outOfOrderWindowMs, then deliver them newest first' })),
    outOfOrderWindowMs: Millis('how long out-of-order events are held (default 200)'),
    dropWebhooks: Count('the next n matching events are never delivered'),
    webhookDelayMs: Millis('delay before the first delivery attempt of each matching event'),
    webhookEvents: Count('how many matching events get duplicateWebhooks/outOfOrderWebhooks/webhookDelayMs (default: all until removed)'),
    probability: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'chance that a matching request or event is hit (default 1); a miss does not use up the budget' }),
    ),
    match: Type.Optional(
      Type.Object(
        {
          metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
          method: Type.Optional(Type.String({ pattern: '^[A-Z]+$' })),
          path: Type.Optional(Type.String({ pattern: '^/' })),
          eventTypes: Type.Optional(Type.Array(Type.String())),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type FaultSpec = Static<typeof FaultSpec>;
