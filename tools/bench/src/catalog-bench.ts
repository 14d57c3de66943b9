// Catalog search benchmark (R-CAT-5; issue 6 targets: GET /v1/search with
// varied queries at 500 requests/s for 60 s through the gateway on 100,000
// scholarships: p95 ≤ 25 ms, p99 ≤ 60 ms, zero errors; GET
// /v1/scholarships/:id p95 ≤ 10 ms). Starts its own catalog and gateway
// (compiled, as production runs them) over a database of its own on the
// local Postgres, seeded by tools/seed, and prints the figures.
//   pnpm --filter @bursary/bench run bench:catalog
// BENCH_RATE, BENCH_SECONDS, BENCH_DETAIL_SECONDS, BENCH_SCHOLARSHIPS,
// BENCH_CONNECTIONS, BENCH_PG_ADMIN_URL, BENCH_DATABASE, BENCH_DISTINCT_QUERIES
// and BENCH_ZIPF_S (the popularity of the search URLs) and BENCH_UNCACHED=1
// (also measure with the result cache off, at BENCH_UNCACHED_RATE) change it.
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { postgresCpuSeconds, prepareDatabase, sampleIds, scrapeCounter, startService, type BenchProcess } from './catalog/bench-stack.js';
import { runLoad, type LoadResult } from './catalog/load-generator.js';
import { searchPath, zipfRanks } from './catalog/search-queries.js';
import { percentile } from './stats.js';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const RATE = Number(env('BENCH_RATE', '500'));
const SECONDS = Number(env('BENCH_SECONDS', '60'));
const DETAIL_SECONDS = Number(env('BENCH_DETAIL_SECONDS', '30'));
const WARMUP_SECONDS = Number(env('BENCH_WARMUP_SECONDS', '30'));
const SCHOLARSHIPS = Number(env('BENCH_SCHOLARSHIPS', '100000'));
const CONNECTIONS = Number(env('BENCH_CONNECTIONS', '64'));
const UNCACHED_RATE = Number(env('BENCH_UNCACHED_RATE', '50'));
const PG_ADMIN_URL = env('BENCH_PG_ADMIN_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const DATABASE = env('BENCH_DATABASE', 'bench_catalog');
const NATS_URL = env('NATS_URL', 'nats://127.0.0.1:4222');
/** Distinct search URLs and the Zipf exponent of their popularity. */
const DISTINCT_QUERIES = Number(env('BENCH_DISTINCT_QUERIES', '5000'));
const ZIPF_S = Number(env('BENCH_ZIPF_S', '1'));

const suffix = randomBytes(4).toString('hex');
const nats = { RUNTIME_BUCKET: `bench_runtime_${suffix}`, EVENTS_STREAM: `BENCH_EVENTS_${suffix}`, EVENTS_SUBJECT_PREFIX: `bench-events-${suffix}`, NATS_URL };

function report(name: string, result: LoadResult, targets: { p95?: number; p99?: number }): boolean {
  const p = (q: number) => percentile(result.latenciesMs, q);
  const errors = Object.values(result.errors).reduce((a, b) => a + b, 0);
  const pass = (targets.p95 === undefined || p(95) <= targets.p95) && (targets.p99 === undefined || p(99) <= targets.p99) && errors === 0;
  console.log(
    [
      `\n${name}`,
      `  requests ${result.sent} in ${result.seconds.toFixed(1)} s = ${(result.sent / result.seconds).toFixed(0)} req/s, errors ${errors} ${errors > 0 ? JSON.stringify(result.errors) : ''}`,
      `  latency ms  p50 ${p(50).toFixed(2)}  p90 ${p(90).toFixed(2)}  p95 ${p(95).toFixed(2)}  p99 ${p(99).toFixed(2)}  max ${p(100).toFixed(2)}`,
      `  targets     ${targets.p95 !== undefined ? `p95 ≤ ${targets.p95} ms` : ''}${targets.p99 !== undefined ? `, p99 ≤ ${targets.p99} ms` : ''}, zero errors: ${pass ? 'MET' : 'NOT MET'}`,
    ].join('\n'),
  );
  return pass;
}

async function startPair(serviceUrl: string, catalogEnv: Record<string, string>): Promise<{ catalog: BenchProcess; gateway: BenchProcess }> {
  const catalog = await startService('catalog', { DATABASE_URL: serviceUrl, DATABASE_TLS: 'disable', ...nats, ...catalogEnv });
  const gateway = await startService('gateway', {
    UPSTREAM_CATALOG_URL: catalog.url,
    // The load comes from one address: it is the load test, not an abuser (see RATE_LIMIT_EXEMPT).
    RATE_LIMIT_EXEMPT: '127.0.0.1/32',
    ...nats,
  }).catch(async (error: unknown) => {
    await catalog.stop();
    throw error;
  });
  return { catalog, gateway };
}

interface CpuSnapshot {
  gateway: number;
  catalog: number;
  postgres: number;
  /** This process: the load generator. */
  generator: number;
}

async function cpu(pair: { catalog: BenchProcess; gateway: BenchProcess }): Promise<CpuSnapshot> {
  return {
    gateway: await scrapeCounter(pair.gateway.metricsUrl, 'process_cpu_seconds_total'),
    catalog: await scrapeCounter(pair.catalog.metricsUrl, 'process_cpu_seconds_total'),
    postgres: await postgresCpuSeconds(PG_ADMIN_URL, DATABASE),
    generator: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  };
}

/** CPU milliseconds per request by process: what the machine needs, whatever else runs on it. */
function reportCpu(before: CpuSnapshot, after: CpuSnapshot, requests: number): void {
  const per = (key: keyof CpuSnapshot) => ((after[key] - before[key]) * 1000) / requests;
  const total = per('gateway') + per('catalog') + per('postgres');
  console.log(
    `  CPU per request: gateway ${per('gateway').toFixed(2)} ms, catalog ${per('catalog').toFixed(2)} ms, postgres ${per('postgres').toFixed(2)} ms = ${total.toFixed(2)} ms;` +
      ` load generator ${per('generator').toFixed(2)} ms. ${availableParallelism()} idle cores would serve about ${Math.round((availableParallelism() * 1000) / (total + per('generator')))} req/s with the generator beside them`,
  );
}

const stopPair = async (pair: { catalog: BenchProcess; gateway: BenchProcess }) => {
  await pair.gateway.stop();
  await pair.catalog.stop();
};

console.log(`catalog benchmark: ${SCHOLARSHIPS} scholarships, ${RATE} req/s, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)} before the run`);
const serviceUrl = await prepareDatabase(PG_ADMIN_URL, DATABASE, SCHOLARSHIPS);
const ids = await sampleIds(serviceUrl, 2_000);
// Synthetic traffic is tagged as such (R-OPS-6): served normally, left out of analytics.
const tagged = (path: string) => `${path}${path.includes('?') ? '&' : '?'}e2e=1`;
let allMet = true;
try {
  const pair = await startPair(serviceUrl, {});
  try {
    const load = (seconds: number, rate: number, path: (i: number) => string) =>
      runLoad({ origin: pair.gateway.url, ratePerSecond: rate, seconds, connections: CONNECTIONS, path: (i) => tagged(path(i)) });
    // Each phase draws its own sequence from the same popularity distribution.
    const warmupRanks = zipfRanks(DISTINCT_QUERIES, ZIPF_S, 1);
    await load(WARMUP_SECONDS, RATE, () => searchPath(warmupRanks()));
    const hits = await scrapeCounter(pair.catalog.metricsUrl, 'catalog_result_cache_lookups_total', 'result="hit"');
    const misses = await scrapeCounter(pair.catalog.metricsUrl, 'catalog_result_cache_lookups_total', 'result="miss"');
    const cpuBefore = await cpu(pair);
    const ranks = zipfRanks(DISTINCT_QUERIES, ZIPF_S, 2);
    const sent: number[] = [];
    const search = await load(SECONDS, RATE, () => {
      const rank = ranks();
      sent.push(rank);
      return searchPath(rank);
    });
    const cpuAfter = await cpu(pair);
    const hitsAfter = (await scrapeCounter(pair.catalog.metricsUrl, 'catalog_result_cache_lookups_total', 'result="hit"')) - hits;
    const missesAfter = (await scrapeCounter(pair.catalog.metricsUrl, 'catalog_result_cache_lookups_total', 'result="miss"')) - misses;
    allMet = report(`GET /v1/search through the gateway, ${RATE} req/s for ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up)`, search, { p95: 25, p99: 60 }) && allMet;
    reportCpu(cpuBefore, cpuAfter, search.sent);
    console.log(`  result cache: ${hitsAfter} hits, ${missesAfter} misses (${((100 * hitsAfter) / Math.max(1, hitsAfter + missesAfter)).toFixed(1)}% hits); ${new Set(sent).size} distinct URLs of ${DISTINCT_QUERIES} (Zipf s=${ZIPF_S})`);
    const detailBefore = await cpu(pair);
    const detail = await load(DETAIL_SECONDS, RATE, (i) => `/v1/scholarships/${ids[(i * 7919) % ids.length]}`);
    const detailAfter = await cpu(pair);
    allMet = report(`GET /v1/scholarships/:id through the gateway, ${RATE} req/s for ${DETAIL_SECONDS} s`, detail, { p95: 10 }) && allMet;
    reportCpu(detailBefore, detailAfter, detail.sent);
  } finally {
    await stopPair(pair);
  }
  if (process.env['BENCH_UNCACHED'] === '1') {
    const uncached = await startPair(serviceUrl, { SEARCH_CACHE_TTL_MS: '0' });
    try {
      const before = await cpu(uncached);
      const uncachedRanks = zipfRanks(DISTINCT_QUERIES, ZIPF_S, 3);
      const result = await runLoad({ origin: uncached.gateway.url, ratePerSecond: UNCACHED_RATE, seconds: SECONDS, connections: CONNECTIONS, path: () => tagged(searchPath(uncachedRanks())) });
      const after = await cpu(uncached);
      report(`GET /v1/search with the result cache OFF, ${UNCACHED_RATE} req/s for ${SECONDS} s (every request hits Postgres; the product owner's floor is p95 ≤ 120 ms at 50 req/s)`, result, { p95: 120 });
      reportCpu(before, after, result.sent);
    } finally {
      await stopPair(uncached);
    }
  }
} finally {
  const connection = await connect({ servers: NATS_URL });
  const manager = await jetstreamManager(connection);
  for (const stream of [nats.EVENTS_STREAM, `KV_${nats.RUNTIME_BUCKET}`]) await manager.streams.delete(stream).catch(() => undefined);
  await connection.close();
}
console.log(`\nload average after the run: ${loadavg()[0]!.toFixed(2)}; all targets ${allMet ? 'met' : 'NOT met'}`);
