// Child processes for the scripts: run-to-completion helpers and a registry of
// everything still running, so a signal can stop all of it.
import { spawn } from 'node:child_process';
import net from 'node:net';

const running = new Set();

/** Every child started through this module that has not exited yet. */
export function liveChildren() {
  return [...running];
}

export function track(child) {
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.once('error', () => running.delete(child));
  return child;
}

/**
 * Runs a command to completion and resolves { code, signal, output } (never
 * rejects; a command that cannot start resolves with code 127).
 *  mode 'inherit' — the child writes to this terminal directly;
 *  mode 'capture' — output is collected (shown by the caller on failure);
 *  mode 'prefix'  — every line goes through `prefixer` (see ui.createPrefixer).
 */
export function run(command, args, { cwd, env = process.env, mode = 'inherit', prefixer } = {}) {
  return new Promise((resolve) => {
    let settled = false;
    let output = '';
    const finish = (result) => {
      if (settled) return;
      settled = true;
      prefixer?.stdout.flush();
      prefixer?.stderr.flush();
      resolve({ ...result, output });
    };
    let child;
    try {
      child = spawn(command, args, { cwd, env, stdio: mode === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      finish({ code: 127, signal: null, error });
      return;
    }
    track(child);
    if (mode === 'capture') {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    } else if (mode === 'prefix') {
      child.stdout.on('data', (chunk) => prefixer.stdout.push(chunk));
      child.stderr.on('data', (chunk) => prefixer.stderr.push(chunk));
    }
    child.once('error', (error) => {
      output += `${error.message}\n`;
      finish({ code: 127, signal: null, error });
    });
    child.once('close', (code, signal) => finish({ code: code ?? 1, signal }));
  });
}

/** Sends SIGTERM to every live child, then SIGKILL to those still alive after graceMs. */
export async function stopAll(graceMs) {
  const children = liveChildren();
  const exited = children.map(
    (child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve))),
  );
  for (const child of children) child.kill('SIGTERM');
  let timer;
  const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
  const result = await Promise.race([Promise.all(exited), timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    for (const child of liveChildren()) child.kill('SIGKILL');
    await Promise.all(exited);
  }
}

/** True when nothing listens on 127.0.0.1:port (we could bind it ourselves). */
export function portFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** GET http://127.0.0.1:port/path → status code, or the error code (ECONNREFUSED …). */
export async function probe(port, path, timeoutMs = 1500) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return { status: response.status, body };
  } catch (error) {
    return { status: 0, error: error?.cause?.code ?? error?.name ?? String(error) };
  }
}
