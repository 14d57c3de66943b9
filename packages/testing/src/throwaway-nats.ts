import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

export interface ThrowawayNats {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

// Debian's package installs /usr/sbin/nats-server (2.9: JetStream and KV); elsewhere take it from PATH.
const NATS_SERVER = process.env['BURSARY_TEST_NATS_SERVER'] ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A JetStream-enabled nats-server of the test's own, on a free port, that the test may stop and restart (same port, same store). */
export async function startThrowawayNats(options: { port?: number; start?: boolean } = {}): Promise<ThrowawayNats> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'bursary-nats-'));
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    if (child) return;
    const proc = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
    child = proc;
    // A worker that dies before afterAll must not leave the server behind.
    const reap = () => proc.kill('SIGKILL');
    process.once('exit', reap);
    proc.once('exit', () => {
      process.removeListener('exit', reap);
      if (child === proc) child = undefined;
    });
    let spawnError: Error | undefined;
    proc.once('error', (error) => void (spawnError = error));
    await waitFor(() => {
      if (spawnError) throw new Error(`cannot run ${NATS_SERVER} (apt-get install nats-server): ${spawnError.message}`);
      return accepts(port);
    }, { timeoutMs: 10_000, what: `nats-server on port ${port}` });
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc) return;
    child = undefined;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  }

  if (options.start !== false) await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
