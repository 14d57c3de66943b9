import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, type Registry } from 'prom-client';
import type { FieldExclusion } from '../field-exclusions.js';
import { DEFAULT_CRAWLER_RANGES } from '../net/crawler-ranges.js';
import { IpRanges } from '../net/ip-ranges.js';
import { createWafEngine, type WafEngine, type WafEngineOptions, type WafVerdict } from '../waf-engine.js';
import { actionFor, WAF_ACTIONS, type WafAction, type WafMode } from '../waf-mode.js';
import { captureBody, replay, type CapturedBody } from './body-capture.js';
import { WafErrors } from './waf-errors.js';

export interface WafPluginOptions {
  /**
   * The mode, asked on every request so that runtime configuration (R-OPS-3)
   * switches it without a restart: `by-method` (detect on GET/HEAD, block
   * POST/PUT/PATCH/DELETE), `block`, `detect` or `off`.
   */
  mode: () => WafMode;
  /** Engine settings (paranoia level, thresholds, limits, policy); ignored when `engine` is given. */
  engine?: WafEngine | WafEngineOptions;
  /** Per-route field exclusions, by JSON pointer (R-WAF-3); added to the engine's own. */
  exclusions?: readonly FieldExclusion[];
  /** Client ranges (CIDR) that are never inspected: QA and uptime monitors (R-WAF-5). */
  allowlist?: readonly string[];
  /**
   * Published crawler ranges (Googlebot, Bingbot): GET/HEAD from them to
   * `crawlerPaths` are not inspected. Verified by address, never by User-Agent.
   */
  crawlerRanges?: readonly string[];
  /**
   * Which requests crawlers may make uninspected (the SEO pages), by path or
   * by the route pattern the request matched (undefined for no route); none by default.
   */
  crawlerPaths?: (path: string, route: string | undefined) => boolean;
  /** Where `waf_detections_total{rule,mode,action}` is registered. */
  metrics?: Registry;
  /** Logger for WAF events; the request's own logger (with its request id) when omitted. */
  logger?: FastifyBaseLogger;
}

const COUNTER = 'waf_detections_total';

function detectionCounter(registry: Registry | undefined): Counter<'rule' | 'mode' | 'action'> | undefined {
  if (registry === undefined) return undefined;
  const existing = registry.getSingleMetric(COUNTER);
  if (existing) return existing as Counter<'rule' | 'mode' | 'action'>;
  return new Counter({
    name: COUNTER,
    help: 'WAF rule matches by rule id, effective mode (block or detect) and what was done (blocked, logged)',
    labelNames: ['rule', 'mode', 'action'] as const,
    registers: [registry],
  });
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * A declared length above the route's body limit: the framework refuses the
 * request with its own 413 without reading the body, so neither reading it
 * here nor blaming the WAF's smaller limit would be right.
 */
function overBodyLimit(request: FastifyRequest): boolean {
  const length = Number(request.headers['content-length']);
  return Number.isFinite(length) && length > request.routeOptions.bodyLimit;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The WAF engine and the current mode, for diagnostics and tests. */
    waf: { engine: WafEngine; mode: () => WafMode };
  }
}

/**
 * The gateway adapter (R-WAF-1..5): a root `onRequest` hook, so it runs for
 * every request, matched route or not, before rate limits and auth. It
 * reads the body itself (up to the inspection limit), builds the engine's
 * plain request, and acts on the verdict by mode; the body is handed back to
 * the parsers unchanged in `preParsing`.
 */
async function waf(app: FastifyInstance, options: WafPluginOptions): Promise<void> {
  const engineOptions = options.engine !== undefined && 'inspect' in options.engine ? undefined : options.engine;
  const engine: WafEngine =
    options.engine !== undefined && 'inspect' in options.engine
      ? options.engine
      : createWafEngine({ ...engineOptions, exclusions: [...(engineOptions?.exclusions ?? []), ...(options.exclusions ?? [])] });
  const allowlist = new IpRanges(options.allowlist ?? []);
  const crawlers = new IpRanges(options.crawlerRanges ?? DEFAULT_CRAWLER_RANGES);
  const crawlerPaths = options.crawlerPaths ?? (() => false);
  const counter = detectionCounter(options.metrics);
  const captured = new WeakMap<FastifyRequest, CapturedBody>();

  app.decorate('waf', { engine, mode: options.mode });

  const skip = (request: FastifyRequest): 'allowlist' | 'crawler' | undefined => {
    if (allowlist.has(request.ip)) return 'allowlist';
    if ((request.method === 'GET' || request.method === 'HEAD') && crawlers.has(request.ip) && crawlerPaths(request.url.split('?', 1)[0] ?? '', request.routeOptions.url)) return 'crawler';
    return undefined;
  };

  const report = (request: FastifyRequest, verdict: WafVerdict, action: WafAction, blocked: boolean) => {
    const outcome = blocked ? 'blocked' : 'logged';
    for (const match of verdict.matches) counter?.inc({ rule: match.ruleId, mode: action, action: outcome });
    // Rule ids, scores and field names only: the matched values may be
    // credentials or personal data, and logs are not a place for payloads.
    const log = options.logger?.child({ requestId: request.id }) ?? request.log;
    log.warn(
      {
        waf: {
          mode: action,
          action: outcome,
          score: verdict.score,
          attack: verdict.attack,
          matches: verdict.matches.map((m) => ({ rule: m.ruleId, score: m.score, field: m.field })),
        },
      },
      blocked ? 'request blocked by WAF' : 'WAF detection',
    );
  };

  app.addHook('onRequest', async (request) => {
    const action = actionFor(options.mode(), request.method);
    if (action === WAF_ACTIONS.off) return;
    const skipped = skip(request);
    if (skipped !== undefined) {
      request.log.debug({ waf: { skipped } }, 'WAF inspection skipped');
      return;
    }

    let body: CapturedBody | undefined;
    if (hasBody(request) && !overBodyLimit(request)) {
      body = await captureBody(request.raw, engine.limits.maxBodyBytes);
      captured.set(request, body);
      if (body.truncated && action === WAF_ACTIONS.block) {
        // A body we cannot read in full is a body we cannot vouch for.
        request.log.warn({ waf: { mode: action, action: 'blocked', limit: engine.limits.maxBodyBytes } }, 'request body exceeds the WAF inspection limit');
        counter?.inc({ rule: 'WAF_BODY_TOO_LARGE', mode: action, action: 'blocked' });
        throw WafErrors.WAF_BODY_TOO_LARGE({ detail: `Bodies larger than ${engine.limits.maxBodyBytes} bytes are not accepted.` });
      }
    }

    const verdict = engine.inspect(
      {
        method: request.method,
        url: request.raw.url ?? request.url,
        headers: request.headers,
        body: body?.bytes.subarray(0, engine.limits.maxBodyBytes),
        remoteAddress: request.ip,
        httpVersion: request.raw.httpVersion,
      },
      { route: request.routeOptions.url },
    );
    if (verdict.matches.length === 0) return;
    const blocked = verdict.attack && action === WAF_ACTIONS.block;
    report(request, verdict, action, blocked);
    if (blocked) {
      throw WafErrors.WAF_BLOCKED({
        detail: 'The request matched attack patterns and was refused.',
        extensions: { ruleIds: verdict.ruleIds, score: verdict.score },
      });
    }
  });

  // The body was read for inspection: the parsers get the same bytes.
  app.addHook('preParsing', async (request, _reply, payload) => {
    const body = captured.get(request);
    if (body === undefined) return payload;
    captured.delete(request);
    return replay(body, request.raw);
  });
}

export const wafPlugin = fp(waf, { name: '@bursary/waf', fastify: '5.x', dependencies: ['@bursary/errors'] });
