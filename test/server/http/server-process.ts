// `ratebook serve` as a real child process in its own process group (npm exec would not wait for
// it on SIGTERM: STACK-NOTES), for tests of start-up, signals, kill -9 and restart.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed on stdout so far. */
  output(): string;
  /** The admin token from the `#token=` line, when this start printed one. */
  adminToken?: string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(root, 'server', 'ratebook.mjs'), 'serve', '--port', '0', '--data', dataDir], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 30 s:\n${out}\n${err}`)), 30_000);
    const look = (): void => {
      const m = /serving .* at (http:\/\/\S+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before serving:\n${out}\n${err}`));
    });
  });
  // The token line follows the serving line in the same write, or just after it.
  await new Promise((r) => setTimeout(r, 50));
  const token = /#token=(\S+)/.exec(out)?.[1];
  return { child, url, output: () => out, adminToken: token, exited };
}

/** Sends a signal to the server's whole process group. */
export function signal(p: ServerProcess, sig: NodeJS.Signals): void {
  try {
    process.kill(-p.child.pid!, sig);
  } catch {
    // already gone
  }
}
