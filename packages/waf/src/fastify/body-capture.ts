import type { IncomingMessage } from 'node:http';
import { PassThrough, Readable } from 'node:stream';

export interface CapturedBody {
  /** The bytes read, at most `limit + 1` of them. */
  bytes: Buffer;
  /** The body is longer than `limit`; `bytes` is only its start and the rest is still in the socket. */
  truncated: boolean;
}

/**
 * Reads the body from the raw request before any route or parser sees it,
 * stopping one byte past `limit` (so a huge body costs the limit, not its
 * size). The caller gets the bytes back as a stream through `replay`.
 */
export function captureBody(raw: IncomingMessage, limit: number): Promise<CapturedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
      raw.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        // Pause before the listener goes, or flowing mode would drop data.
        raw.pause();
        cleanup();
        resolve({ bytes: Buffer.concat(chunks), truncated: true });
      }
    };
    const onEnd = () => {
      cleanup();
      resolve({ bytes: Buffer.concat(chunks), truncated: false });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      // Aborted by the client before the end: what arrived is all there is.
      cleanup();
      resolve({ bytes: Buffer.concat(chunks), truncated: false });
    };
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('error', onError);
    raw.once('close', onClose);
  });
}

/** The captured bytes followed by whatever the raw request still holds, as the body parsers expect it. */
export function replay(captured: CapturedBody, raw: IncomingMessage): Readable {
  if (!captured.truncated) {
    // The common case: the whole body is in hand, so a one-chunk stream
    // serves; no Transform (PassThrough) and no pipe are needed.
    const bytes = captured.bytes;
    return new Readable({
      read() {
        this.push(bytes);
        this.push(null);
      },
    });
  }
  const stream = new PassThrough();
  stream.write(captured.bytes);
  raw.pipe(stream);
  raw.resume();
  return stream;
}
