import { Kvm, type KV, type KvOptions } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

export const DEFAULT_RUNTIME_BUCKET = 'runtime';

/** Every creator passes the same options: an existing bucket is opened as it is. */
const BUCKET_OPTIONS: Partial<KvOptions> = {
  history: 10, // `nats kv history runtime maintenance` shows the last ten flips
  maxValueSize: 1024,
  description: 'Bursary live settings and kill switches (R-OPS-3)',
};

/**
 * Opens the bucket, creating it if missing. `new Kvm(nc).open(name)` never
 * creates, and a missing bucket then surfaces later as a misleading
 * "jetstream is not enabled" error (DESIGN.md §6), hence `create`, which
 * opens an existing bucket unchanged.
 */
export function openRuntimeBucket(nc: NatsConnection, bucket = DEFAULT_RUNTIME_BUCKET): Promise<KV> {
  if (!/^[-\w]+$/.test(bucket)) throw new Error(`Invalid KV bucket name "${bucket}"`);
  return new Kvm(nc).create(bucket, BUCKET_OPTIONS);
}
