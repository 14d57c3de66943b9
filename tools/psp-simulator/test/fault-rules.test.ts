import { describe, expect, it } from 'vitest';
import { FaultRules } from '../src/faults/fault-rules.js';

const subject = { apiKey: 'sk_test_a', method: 'POST', path: '/v1/payment_intents', metadata: { purchase_id: 'p-1' } };

describe('fault rules', () => {
  it('a probability below 1 hits only some matching requests, and a miss keeps the budget', () => {
    const rolls = [0.9, 0.1, 0.2];
    const rules = new FaultRules(() => rolls.shift() ?? 0);
    rules.add({ failNext5xx: 1, probability: 0.5 }, undefined);
    expect(rules.takeFailure(subject)).toBeUndefined();
    expect(rules.takeFailure(subject)).toBe(500);
    expect(rules.takeFailure(subject)).toBeUndefined();
  });

  it('budgets count down per rule; scope by key, metadata, method, path and event type', () => {
    const rules = new FaultRules();
    rules.add({ timeoutAfterCharge: 2, match: { metadata: { purchase_id: 'p-1' }, method: 'POST', path: '/v1/payment_intents' } }, 'sk_test_a');
    expect(rules.takeTimeout({ ...subject, apiKey: 'sk_test_b' }, 'charge')).toBeUndefined();
    expect(rules.takeTimeout({ ...subject, metadata: {} }, 'charge')).toBeUndefined();
    expect(rules.takeTimeout({ ...subject, path: '/v1/refunds' }, 'charge')).toBeUndefined();
    expect(rules.takeTimeout(subject, 'refund')).toBeUndefined();
    expect(rules.takeTimeout(subject, 'charge')).toBe('reset');
    expect(rules.takeTimeout(subject, 'charge')).toBe('reset');
    expect(rules.takeTimeout(subject, 'charge')).toBeUndefined();

    rules.add({ duplicateWebhooks: 2, webhookEvents: 1, match: { eventTypes: ['charge.refunded'] } }, undefined);
    const event = { apiKey: 'sk_test_a', metadata: {}, eventType: 'charge.refunded' };
    expect(rules.takeWebhookFaults({ ...event, eventType: 'refund.created' }).copies).toBe(1);
    expect(rules.takeWebhookFaults(event).copies).toBe(3);
    expect(rules.takeWebhookFaults(event).copies).toBe(1);
  });
});
