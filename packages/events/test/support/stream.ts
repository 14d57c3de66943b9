import { jetstream, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { uniqueSuffix } from '@bursary/testing';
import type { EventStreamConfig } from '../../src/index.js';

export interface StoredEvent {
  seq: number;
  subject: string;
  msgId: string | undefined;
  id: string;
  type: string;
}

/** A stream and subject prefix no other test shares (DESIGN.md §3.14). */
export function isolatedStream(): Partial<EventStreamConfig> {
  const suffix = uniqueSuffix('s');
  return { name: `EVENTS_${suffix}`, subjectPrefix: `${suffix}.events` };
}

export async function manager(nc: NatsConnection): Promise<JetStreamManager> {
  return jetstream(nc).jetstreamManager();
}

/** Every message in the stream, read back by sequence. */
export async function storedEvents(nc: NatsConnection, stream: string): Promise<StoredEvent[]> {
  const jsm = await manager(nc);
  const info = await jsm.streams.info(stream);
  const events: StoredEvent[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq });
    if (!message) continue;
    const envelope = message.json<{ id: string; type: string }>();
    events.push({ seq, subject: message.subject, msgId: message.header.get('Nats-Msg-Id') || undefined, id: envelope.id, type: envelope.type });
  }
  return events;
}

export async function streamCount(nc: NatsConnection, stream: string): Promise<number> {
  try {
    return (await (await manager(nc)).streams.info(stream)).state.messages;
  } catch {
    return 0;
  }
}
