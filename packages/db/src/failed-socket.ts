import { Duplex } from 'node:stream';

/**
 * A socket that fails right after postgres.js has written its startup packet
 * to it. Two postgres.js 3.4 details shape this:
 * - throwing from the `socket` option leaves the pool slot stuck in
 *   "connecting" forever (the pool shrinks with every failed attempt);
 * - a socket that fails between postgres.js's `connected()` and its deferred
 *   first write leaves a cleared-but-not-nulled write timer behind, after
 *   which that slot never sends anything again (logins time out, then the
 *   server receives two startup packets glued together).
 * So the error comes after the first write, on the next turn of the event
 * loop: postgres.js rejects the waiting query with our error and frees the slot.
 */
export function failedSocket(error: Error): Duplex {
  let failed = false;
  const fail = () => {
    if (failed) return;
    failed = true;
    socket.destroy(error);
  };
  const socket = new Duplex({
    read() {},
    write(_chunk, _encoding, callback) {
      callback();
      setImmediate(fail);
    },
  });
  // postgres.js always writes first; this only guards against a socket nobody uses.
  setTimeout(fail, 5000).unref();
  return socket;
}
