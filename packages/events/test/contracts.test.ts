import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { backoffDelay, createEvent, defineEvent, eventContracts, eventRegistry, eventSubject, InvalidEventError, PasswordResetRequested } from '../src/index.js';

describe('event contracts', () => {
  it('R-EVT-1: contract names are <service>.<entity>.<past-verb>.v<n>', () => {
    for (const contract of eventContracts) expect(contract.type).toMatch(/^[a-z_]+\.[a-z_]+\.[a-z_]+\.v\d+$/);
    expect(() => defineEvent('payments.PurchaseCompleted', Type.Object({}), 'x')).toThrow(/<service>\.<entity>\.<past-verb>\.v<n>/);
    expect(() => defineEvent('payments.purchase.completed.v0', Type.Object({}), 'x')).toThrow();
    expect(eventSubject('payments.purchase.completed.v1')).toBe('events.payments.purchase.completed.v1');
  });

  it('R-EVT-1: envelopes get a unique, time-sortable UUIDv7 id and are validated against their contract', () => {
    const make = () =>
      createEvent(PasswordResetRequested, {
        subject: 'user-1',
        data: { userId: randomUUID(), resetId: randomUUID(), expiresAt: new Date().toISOString() },
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
    const ids = Array.from({ length: 1000 }, () => make().id);
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const event = make();
    expect(eventRegistry.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
    expect(event.source).toBe('accounts');
    // Payloads are closed: a stray field (PII creeping in) is refused.
    expect(() => eventRegistry.parse({ ...event, data: { ...event.data, email: 'a@example.com' } })).toThrow(InvalidEventError);
    expect(() => eventRegistry.parse({ ...event, type: 'accounts.user.deleted.v9' })).toThrow(/Unknown event type/);
    expect(() => eventRegistry.parse({ ...event, traceparent: 'nope' })).toThrow(/envelope/);
  });

  it('R-EVT-1: relay backoff is exponential, jittered and capped', () => {
    const low = () => 0;
    const high = () => 0.999;
    expect(backoffDelay(1, { baseMs: 100, capMs: 1000 }, low)).toBe(50);
    expect(backoffDelay(3, { baseMs: 100, capMs: 1000 }, low)).toBe(200);
    expect(backoffDelay(50, { baseMs: 100, capMs: 1000 }, high)).toBeLessThanOrEqual(1000);
    expect(backoffDelay(50, { baseMs: 100, capMs: 1000 }, low)).toBe(500);
  });
});
