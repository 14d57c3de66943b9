// A minimal Postgres client (simple-query protocol, trust authentication,
// no TLS) for the one thing the scripts do before any dependency can be
// relied on: preparing the test template on the plain admin connection
// (PG_ADMIN_URL, trust auth for `postgres` as on the project's machines).
// Everything else talks to Postgres through the services' own migrate commands.
import net from 'node:net';

function cstring(text) {
  return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
}

function message(type, payload) {
  const header = Buffer.alloc(type ? 5 : 4);
  if (type) {
    header.write(type, 0, 'ascii');
    header.writeInt32BE(payload.length + 4, 1);
  } else {
    header.writeInt32BE(payload.length + 4, 0);
  }
  return Buffer.concat([header, payload]);
}

function parseError(body) {
  const fields = {};
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const code = String.fromCharCode(body[offset]);
    const end = body.indexOf(0, offset + 1);
    fields[code] = body.toString('utf8', offset + 1, end);
    offset = end + 1;
  }
  const error = new Error(fields.M ?? 'Postgres error');
  error.code = fields.C;
  error.detail = fields.D;
  return error;
}

/**
 * connect('postgres://postgres@127.0.0.1:5432/postgres') → { query(sql) → rows (arrays of strings|null), end() }.
 */
export function connect(url, { timeoutMs = 5000 } = {}) {
  const parsed = new URL(url);
  const user = decodeURIComponent(parsed.username || 'postgres');
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '') || user);
  const socket = net.connect({ host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port || 5432) });
  socket.setTimeout(timeoutMs);

  let buffer = Buffer.alloc(0);
  let pending; // { resolve, reject, rows, error }
  let ready;
  let isReady = false;
  let closedWith; // once the socket is gone every later query fails at once instead of waiting forever
  const readyPromise = new Promise((resolve, reject) => (ready = { resolve, reject }));
  readyPromise.catch(() => undefined); // surfaced by query(); never an unhandled rejection
  const failAll = (error) => {
    closedWith ??= error;
    ready.reject(error);
    pending?.reject(error);
    pending = undefined;
  };

  socket.on('timeout', () => {
    // The timeout guards the handshake and each query; an idle connection
    // (e.g. held open while migrations run) is fine and must stay usable.
    if (isReady && !pending) return;
    failAll(new Error(`timed out talking to Postgres at ${parsed.host}`));
    socket.destroy();
  });
  socket.on('error', (error) => failAll(error));
  socket.on('close', () => failAll(new Error(`Postgres at ${parsed.host} closed the connection`)));
  socket.on('connect', () => {
    const params = Buffer.concat([
      Buffer.from([0, 3, 0, 0]), // protocol 3.0
      cstring('user'),
      cstring(user),
      cstring('database'),
      cstring(database),
      cstring('application_name'),
      cstring('bursary-scripts'),
      Buffer.from([0]),
    ]);
    socket.write(message(undefined, params));
  });

  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 5) {
      const length = buffer.readInt32BE(1);
      if (buffer.length < length + 1) break;
      const type = String.fromCharCode(buffer[0]);
      const body = buffer.subarray(5, length + 1);
      buffer = buffer.subarray(length + 1);
      switch (type) {
        case 'R': {
          const code = body.readInt32BE(0);
          if (code !== 0) {
            failAll(
              new Error(
                `Postgres at ${parsed.host} asks for a password (auth method ${code}); ` +
                  `the scripts expect trust authentication for "${user}" on the plain admin connection`,
              ),
            );
            socket.destroy();
          }
          break;
        }
        case 'E': {
          const error = parseError(body);
          if (pending) pending.error = error;
          else {
            failAll(error);
            socket.destroy();
          }
          break;
        }
        case 'D': {
          const columns = body.readInt16BE(0);
          const row = [];
          let offset = 2;
          for (let index = 0; index < columns; index += 1) {
            const size = body.readInt32BE(offset);
            offset += 4;
            if (size === -1) row.push(null);
            else {
              row.push(body.toString('utf8', offset, offset + size));
              offset += size;
            }
          }
          pending?.rows.push(row);
          break;
        }
        case 'Z': {
          isReady = true;
          ready.resolve();
          if (pending) {
            const done = pending;
            pending = undefined;
            if (done.error) done.reject(done.error);
            else done.resolve(done.rows);
          }
          break;
        }
        default:
          break; // ParameterStatus, BackendKeyData, RowDescription, CommandComplete, notices
      }
    }
  });

  return {
    async query(sql) {
      await readyPromise;
      if (closedWith) throw closedWith;
      return new Promise((resolve, reject) => {
        pending = { resolve, reject, rows: [] };
        socket.write(message('Q', cstring(sql)));
      });
    },
    async end() {
      try {
        await readyPromise;
        socket.write(message('X', Buffer.alloc(0)));
      } catch {
        // already closed
      }
      socket.removeAllListeners('close');
      socket.end();
    },
  };
}

/** Quotes an identifier for SQL. */
export const ident = (name) => `"${String(name).replace(/"/g, '""')}"`;
/** Quotes a literal for SQL. */
export const literal = (value) => `'${String(value).replace(/'/g, "''")}'`;
