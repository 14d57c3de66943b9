import { connect, type NatsConnection } from '@nats-io/transport-node';
import { freePort, startThrowawayNats, type ThrowawayNats, uniqueSuffix, waitFor } from '@bursary/testing';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryRuntimeConfig, createNatsRuntimeConfig, openRuntimeBucket, runtimeConfigPlugin, RuntimeValueError, type NatsRuntimeConfig } from '../src/index.js';
import { runRuntimeCli } from '../src/runtime-cli.js';
import { captureLog } from './support/capture-log.js';

let nats: ThrowawayNats;
let admin: NatsConnection;
const opened: NatsRuntimeConfig[] = [];

beforeAll(async () => {
  nats = await startThrowawayNats();
  admin = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((config) => config.close()));
});

afterAll(async () => {
  await Promise.allSettled([admin?.close(), nats?.destroy()]);
});

function instance(bucket: string, log = captureLog()): NatsRuntimeConfig {
  const config = createNatsRuntimeConfig({ nats: nats.url, bucket, log });
  opened.push(config);
  return config;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runRuntimeCli(argv, { env: { NATS_URL: nats.url }, out: (l) => void out.push(l), err: (l) => void err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('runtime config over NATS KV', () => {
  it('R-OPS-3: a change made with the CLI reaches two running instances within one second, and is logged', async () => {
    const bucket = uniqueSuffix('runtime');
    const logA = captureLog();
    const a = instance(bucket, logA);
    const b = instance(bucket);
    expect(await a.ready(5_000)).toBe(true);
    expect(await b.ready(5_000)).toBe(true);
    expect(a.all()).toEqual({ maintenance: false, 'purchases.enabled': true, 'waf.mode': 'by-method', 'hosts.mode': 'enforce', 'ratelimit.factor': 1 });
    const seen: [boolean, boolean][] = [];
    b.onChange('maintenance', (value, previous) => void seen.push([value, previous]));

    const set = await cli('set', 'maintenance', 'true', '--bucket', bucket);
    expect(set).toMatchObject({ code: 0, out: expect.stringContaining('maintenance: false → true') });
    await waitFor(() => a.get('maintenance') && b.get('maintenance'), { timeoutMs: 1_000, intervalMs: 10, what: 'both instances in maintenance' });
    expect(seen).toEqual([[true, false]]);
    expect(logA.lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'runtime config changed', obj: expect.objectContaining({ key: 'maintenance', old: false, new: true }) }));

    // Dotted keys are plain NATS KV keys.
    expect((await cli('set', 'purchases.enabled', 'false', '--bucket', bucket)).code).toBe(0);
    expect((await cli('set', 'waf.mode', 'detect', '--bucket', bucket)).code).toBe(0);
    expect((await cli('set', 'ratelimit.factor', '0.5', '--bucket', bucket)).code).toBe(0);
    await waitFor(() => b.get('purchases.enabled') === false && b.get('waf.mode') === 'detect' && b.get('ratelimit.factor') === 0.5, { timeoutMs: 1_000, intervalMs: 10, what: 'the other keys' });

    // A new instance starts from the bucket, not from defaults.
    const c = instance(bucket);
    expect(await c.ready(5_000)).toBe(true);
    expect(c.all()).toMatchObject({ maintenance: true, 'purchases.enabled': false, 'waf.mode': 'detect', 'ratelimit.factor': 0.5 });

    // unset restores the default everywhere.
    expect((await cli('unset', 'maintenance', '--bucket', bucket)).out).toContain('maintenance: true → false (default');
    await waitFor(() => !a.get('maintenance') && !b.get('maintenance') && !c.get('maintenance'), { timeoutMs: 1_000, intervalMs: 10, what: 'maintenance back to the default' });
  });

  it('R-OPS-3: invalid values written to the bucket are rejected and logged; the previous value is kept', async () => {
    const bucket = uniqueSuffix('runtime');
    const log = captureLog();
    const config = instance(bucket, log);
    expect(await config.ready(5_000)).toBe(true);
    const kv = await openRuntimeBucket(admin, bucket);
    await kv.put('waf.mode', JSON.stringify('block'));
    await waitFor(() => config.get('waf.mode') === 'block', { what: 'the valid value' });
    await kv.put('waf.mode', JSON.stringify('blok'));
    await kv.put('ratelimit.factor', '0');
    await kv.put('maintenance', 'yes please');
    await kv.put('no.such.key', 'true');
    await waitFor(() => log.lines.filter((l) => l.level !== 'info').length >= 4, { what: 'four rejections' });
    expect(config.get('waf.mode')).toBe('block');
    expect(config.get('ratelimit.factor')).toBe(1);
    expect(config.get('maintenance')).toBe(false);
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.obj['key'])).toEqual(['waf.mode', 'ratelimit.factor', 'maintenance']);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ key: 'no.such.key' }) }));
  });

  it('R-OPS-3: last-known-good values are kept while NATS is down, and the watch resumes after it returns', async () => {
    const bucket = uniqueSuffix('runtime');
    const a = instance(bucket);
    const b = instance(bucket);
    await Promise.all([a.ready(5_000), b.ready(5_000)]);
    await cli('set', 'maintenance', 'true', '--bucket', bucket);
    await cli('set', 'hosts.mode', 'monitor', '--bucket', bucket);
    await waitFor(() => a.get('hosts.mode') === 'monitor' && b.get('hosts.mode') === 'monitor', { what: 'the values before the outage' });

    await nats.stop();
    try {
      await waitFor(() => !a.status().connected && !b.status().connected, { what: 'both instances to notice the outage' });
      expect(a.get('maintenance')).toBe(true);
      expect(b.get('hosts.mode')).toBe('monitor');
      const offline = await cli('get', 'maintenance', '--bucket', bucket);
      expect(offline.code).toBe(1);
      expect(offline.err).toMatch(/cannot reach NATS/);
    } finally {
      await nats.start();
    }
    expect(a.all()).toMatchObject({ maintenance: true, 'hosts.mode': 'monitor' });
    await waitFor(() => a.status().connected && b.status().connected, { timeoutMs: 10_000, what: 'reconnection' });
    expect((await cli('set', 'maintenance', 'false', '--bucket', bucket)).code).toBe(0);
    await waitFor(() => !a.get('maintenance') && !b.get('maintenance'), { timeoutMs: 10_000, what: 'a change made right after the outage to reach both instances' });
    expect(a.get('hosts.mode')).toBe('monitor');
  });

  it('R-OPS-3: an instance started while NATS is unreachable runs on defaults and loads the bucket once NATS answers', async () => {
    const late = await startThrowawayNats({ port: await freePort(), start: false });
    try {
      const log = captureLog();
      const config = createNatsRuntimeConfig({ nats: late.url, log });
      opened.push(config);
      expect(await config.ready(300)).toBe(false);
      expect(config.get('purchases.enabled')).toBe(true);
      expect(config.status()).toMatchObject({ connected: false, loaded: false });
      expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'runtime config: NATS unreachable; retrying' }));

      await late.start();
      const out: string[] = [];
      expect(await runRuntimeCli(['set', 'purchases.enabled', 'false'], { env: { NATS_URL: late.url }, out: (l) => void out.push(l), err: (l) => void out.push(l) })).toBe(0);
      expect(await config.ready(10_000)).toBe(true);
      await waitFor(() => config.get('purchases.enabled') === false, { what: 'the kill switch from the bucket' });
    } finally {
      await late.destroy();
    }
  });

  it('R-OPS-3: the CLI validates keys and values before touching NATS, with messages that say what is expected', async () => {
    expect(await cli('set', 'maintenace', 'true')).toMatchObject({ code: 2, err: expect.stringContaining('Unknown runtime key "maintenace"; known keys: maintenance, purchases.enabled') });
    expect(await cli('set', 'waf.mode', 'blok')).toMatchObject({ code: 2, err: 'waf.mode must be one of "by-method", "block", "detect", "off" (got "blok")' });
    expect(await cli('set', 'ratelimit.factor', '-1')).toMatchObject({ code: 2, err: 'ratelimit.factor must be a number greater than 0 (at most 1000) (got -1)' });
    expect(await cli('set', 'maintenance', 'yes')).toMatchObject({ code: 2, err: 'maintenance must be true or false (got "yes")' });
    expect(await cli('set', 'maintenance')).toMatchObject({ code: 2, err: expect.stringContaining('set takes a key and a value') });
    expect(await cli('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "frobnicate"') });
    const bucket = uniqueSuffix('runtime');
    expect(await cli('set', 'waf.mode', '"off"', '--bucket', bucket)).toMatchObject({ code: 0 });
    expect(await cli('get', 'waf.mode', '--bucket', bucket)).toMatchObject({ code: 0, out: '"off"' });
    const list = await cli('list', '--bucket', bucket);
    expect(list.out).toMatch(/^maintenance\s+false\s+\(default\)$/m);
    expect(list.out).toMatch(/^waf\.mode\s+"off"\s+\(rev \d+\)$/m);
  });

  it('R-OPS-3: the plugin decorates app.runtimeConfig and closes it with the app', async () => {
    const bucket = uniqueSuffix('runtime');
    await cli('set', 'ratelimit.factor', '2', '--bucket', bucket);
    const app = Fastify({ logger: false });
    await app.register(runtimeConfigPlugin, { nats: nats.url, bucket });
    await app.ready();
    expect(app.runtimeConfig.get('ratelimit.factor')).toBe(2);
    await app.close();
  });
});

describe('in-memory runtime config', () => {
  it('R-OPS-3: same interface: typed get, onChange, validation', async () => {
    const config = createMemoryRuntimeConfig({ 'waf.mode': 'off' });
    expect(config.get('waf.mode')).toBe('off');
    const changes: unknown[] = [];
    const unsubscribe = config.onChange('ratelimit.factor', (value, previous) => void changes.push([value, previous]));
    config.set('ratelimit.factor', 3);
    config.set('ratelimit.factor', 3);
    unsubscribe();
    config.set('ratelimit.factor', 4);
    expect(changes).toEqual([[3, 1]]);
    expect(() => config.set('ratelimit.factor', 0)).toThrow(RuntimeValueError);
    expect(config.get('ratelimit.factor')).toBe(4);
    await config.close();
  });
});
