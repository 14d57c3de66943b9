import { JetStreamApiError, RetentionPolicy, StorageType, DiscardPolicy, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

export interface EventStreamConfig {
  /** JetStream stream name; `EVENTS` in every environment but tests. */
  name: string;
  /** Subjects are `<prefix>.<event type>`; the stream captures `<prefix>.>`. */
  subjectPrefix: string;
  /** Window in which a repeated Nats-Msg-Id is dropped by the server. */
  duplicateWindowMs: number;
  /** How long events stay in the stream (consumers must keep up within it). */
  maxAgeMs: number;
}

export const defaultEventStream: EventStreamConfig = {
  name: 'EVENTS',
  subjectPrefix: 'events',
  duplicateWindowMs: 2 * 60_000,
  maxAgeMs: 7 * 24 * 3_600_000,
};

export function eventStreamConfig(overrides: Partial<EventStreamConfig> = {}): EventStreamConfig {
  const config = { ...defaultEventStream, ...overrides };
  if (!/^[A-Za-z0-9_-]+$/.test(config.name)) throw new Error(`Invalid stream name "${config.name}"`);
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(config.subjectPrefix)) throw new Error(`Invalid subject prefix "${config.subjectPrefix}"`);
  if (config.duplicateWindowMs > config.maxAgeMs) throw new Error('duplicateWindowMs cannot exceed maxAgeMs');
  return config;
}

/** The subject an event of `type` is published on: `events.payments.purchase.completed.v1`. */
export function eventSubject(type: string, subjectPrefix = defaultEventStream.subjectPrefix): string {
  return `${subjectPrefix}.${type}`;
}

const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;

/**
 * Creates the stream or brings its subjects, duplicate window and age in line;
 * safe to call from every relay at every start (two racing creators end with
 * one stream).
 */
export async function ensureEventStream(jsm: JetStreamManager, stream: EventStreamConfig): Promise<void> {
  const wanted = {
    subjects: [`${stream.subjectPrefix}.>`],
    duplicate_window: nanos(stream.duplicateWindowMs),
    max_age: nanos(stream.maxAgeMs),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    let current: StreamConfig;
    try {
      current = (await jsm.streams.info(stream.name)).config;
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== STREAM_NOT_FOUND) throw error;
      try {
        await jsm.streams.add({
          name: stream.name,
          ...wanted,
          retention: RetentionPolicy.Limits,
          storage: StorageType.File,
          discard: DiscardPolicy.Old,
          num_replicas: 1,
        });
        return;
      } catch (addError) {
        if (addError instanceof JetStreamApiError && addError.code === STREAM_NAME_IN_USE) continue;
        throw addError;
      }
    }
    const same =
      current.subjects?.length === 1 &&
      current.subjects[0] === wanted.subjects[0] &&
      current.duplicate_window === wanted.duplicate_window &&
      current.max_age === wanted.max_age;
    if (!same) await jsm.streams.update(stream.name, { ...current, ...wanted });
    return;
  }
  throw new Error(`Could not create or read stream ${stream.name}`);
}
