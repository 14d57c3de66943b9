import { Queue, QueueEvents, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

/** The jobs of the payments worker (R-EVT-3, R-PAY-6). Payloads carry a trigger name only, never money data. */
export const JobName = {
  reconcile: 'reconcile',
  recover: 'recover',
  purgeIdempotencyKeys: 'purge-idempotency-keys',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export interface JobData {
  trigger: 'startup' | 'schedule' | 'cli';
}

export interface QueueSettings {
  redisUrl: string;
  /** REDIS_KEY_PREFIX: every BullMQ key lives below `<prefix>bull:`. */
  keyPrefix: string;
  queueName: string;
}

/**
 * Redis clients as BullMQ needs them: `maxRetriesPerRequest: null` so that a
 * blocking worker command is never abandoned while Redis reconnects (BullMQ
 * refuses to start otherwise), and retries with capped, jittered backoff.
 */
export function bullConnection(url: string, name: string): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name,
    retryStrategy: (attempt) => Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2),
  };
  return new Redis(url, options);
}

function prefixOf(settings: QueueSettings): string {
  return `${settings.keyPrefix}bull`;
}

export function openQueue(settings: QueueSettings, connection: ConnectionOptions): Queue<JobData, unknown, JobName> {
  return new Queue<JobData, unknown, JobName>(settings.queueName, {
    connection,
    prefix: prefixOf(settings),
    defaultJobOptions: {
      removeOnComplete: { count: 200 },
      removeOnFail: { count: 200 },
      attempts: 3,
      backoff: { type: 'exponential', delay: 1_000 },
    },
  });
}

export function openQueueEvents(settings: QueueSettings, connection: ConnectionOptions): QueueEvents {
  return new QueueEvents(settings.queueName, { connection, prefix: prefixOf(settings) });
}

/**
 * One job at a time per worker process: reconciliation holds an advisory lock
 * anyway, recovery claims rows with SKIP LOCKED, so several worker processes
 * share the work without doing it twice.
 */
export function startJobWorker(settings: QueueSettings, connection: ConnectionOptions, process: (job: Job<JobData, unknown, JobName>) => Promise<unknown>): Worker<JobData, unknown, JobName> {
  return new Worker<JobData, unknown, JobName>(settings.queueName, process, {
    connection,
    prefix: prefixOf(settings),
    concurrency: 1,
    // A job whose worker died (kill -9) is picked up again after this long.
    lockDuration: 60_000,
    stalledInterval: 30_000,
    maxStalledCount: 3,
  });
}

/** The repeatable jobs; idempotent (upserted by id), so every worker start may declare them. */
export async function scheduleJobs(queue: Queue<JobData, unknown, JobName>, every: Record<JobName, number>): Promise<void> {
  for (const name of Object.values(JobName)) {
    await queue.upsertJobScheduler(name, { every: every[name] }, { name, data: { trigger: 'schedule' } });
  }
}
