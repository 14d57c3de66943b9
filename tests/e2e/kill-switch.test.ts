import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { openRuntimeBucket } from '@bursary/runtime-config';
import { waitFor } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

// Issue 3's "done when": the maintenance switch set in NATS KV reaches the
// running gateway without a redeploy, and the event stream exists.
describe('runtime kill switch and event stream (e2e)', () => {
  let stack: Stack;
  let nats: NatsConnection;

  beforeAll(async () => {
    nats = await connect({ servers: natsUrl });
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
    await nats?.close();
  });

  it('R-EVT-1: the event stream and the runtime bucket exist once the services run', async () => {
    const manager = await jetstreamManager(nats);
    const info = await waitFor(() => manager.streams.info(stack.nats.stream).catch(() => undefined), { what: 'the events stream' });
    expect(info.config.subjects).toEqual([`${stack.nats.subjectPrefix}.>`]);
    expect(info.config.duplicate_window).toBeGreaterThan(0);
    await expect(manager.streams.info(`KV_${stack.nats.bucket}`)).resolves.toBeTruthy();
  });

  it('R-OPS-3: maintenance=true makes /v1 answer 503 MAINTENANCE while /healthz stays 200; false restores service', async () => {
    const kv = await openRuntimeBucket(nats, stack.nats.bucket);
    const before = await fetch(`${stack.gateway.url}/v1/scholarships`);
    expect(before.status).not.toBe(503);

    const flippedAt = Date.now();
    await kv.put('maintenance', JSON.stringify(true));
    const down = await waitFor(async () => {
      const response = await fetch(`${stack.gateway.url}/v1/scholarships`);
      return response.status === 503 ? response : undefined;
    }, { what: 'maintenance to reach the gateway', timeoutMs: 5_000, intervalMs: 20 });
    console.log(`maintenance switch reached the gateway in ${Date.now() - flippedAt} ms`);
    expect(await down.json()).toMatchObject({ code: 'MAINTENANCE' });
    expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await fetch(`${stack.gateway.url}/healthz`)).status).toBe(200);

    await kv.put('maintenance', JSON.stringify(false));
    await waitFor(async () => (await fetch(`${stack.gateway.url}/v1/scholarships`)).status !== 503, { what: 'service to return', timeoutMs: 5_000, intervalMs: 20 });
  });
});
