import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@bursary/testing';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ServiceProcess {
  name: string;
  port: number;
  metricsPort: number;
  url: string;
  logs: string[];
  /** SIGTERM, then the exit code (graceful shutdown exits 0). */
  stop(): Promise<number | null>;
  /** SIGKILL (kill -9: no shutdown at all), resolved once the process is gone. */
  kill(): Promise<void>;
}

export interface StartProcessOptions {
  /** The compiled entry: the service's server (default) or its worker. */
  file?: 'server' | 'worker';
  /** A fixed port, e.g. to restart a killed process where its clients expect it. */
  port?: number;
}

/** The compiled entry of a service, as production runs it: plain `node dist/…js`. */
export function serviceEntry(service: string, file: 'server' | 'migrate' | 'worker'): string {
  const entry = `${repoRoot}/apps/${service}/dist/${file}.js`;
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (turbo builds it before the tests)`);
  return entry;
}

export async function runMigrate(service: string, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, [serviceEntry(service, 'migrate')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`migrate ${service} exited ${code}: ${output}`);
}

export async function startServiceProcess(service: string, env: Record<string, string>, options: StartProcessOptions = {}): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const metricsPort = await freePort();
  const child: ChildProcess = spawn(process.execPath, [serviceEntry(service, options.file ?? 'server')], {
    env: { ...process.env, APP_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), METRICS_PORT: String(metricsPort), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => logs.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => (await fetch(`${url}/healthz`)).ok, { what: `${service} to listen`, timeoutMs: 60_000 });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${service} did not start: ${(error as Error).message}\n${logs.join('\n')}`);
  }
  return {
    name: options.file === 'worker' ? `${service}-worker` : service,
    port,
    metricsPort,
    url,
    logs,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
