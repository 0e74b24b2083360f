// `ratebook serve` (SPEC §7): the workbench on @hono/node-server over a data directory. SIGTERM and
// SIGINT stop accepting, finish or mark the work in flight, and exit 0.

import { serve as listen, type ServerType } from '@hono/node-server';
import { createApp } from './app.js';
import { uiApp } from './ui.js';
import { openContext, type Limits } from './context.js';
import { prepareFirstStart } from './first-start.js';
import { ROUTERS } from './routers.js';

export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  limits?: Partial<Limits>;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  /** The admin token when this start made it. */
  adminToken?: string;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => void process.stdout.write(line + '\n'));
  const ctx = await openContext({ dataDir: options.dataDir, limits: options.limits });
  const first = await prepareFirstStart(ctx);
  const app = createApp(ctx, { routers: ROUTERS, ui: uiApp() });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = listen({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/`;
  for (const d of first.did) log(`ratebook: ${d}`);
  log(`ratebook: serving ${ctx.dataDir} at ${url}`);
  if (first.adminToken) log(`open ${url}#token=${first.adminToken}  (the admin token, shown this once)`);
  let closing: Promise<void> | null = null;
  return {
    url,
    adminToken: first.adminToken,
    close: () =>
      (closing ??= (async () => {
        // Stop accepting first; then stop the work in flight, which ends the runs' event streams
        // (a watcher hears `failed`), so the open connections can finish and close() can return.
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const idle = (): void => (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        idle();
        await ctx.close();
        idle();
        await stopped;
      })()),
  };
}

/** Serves until SIGTERM or SIGINT, then closes cleanly: the command's exit code. */
export async function serveUntilSignal(options: ServeOptions): Promise<number> {
  const running = await startServer(options);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      process.stdout.write(`ratebook: ${signal}: stopping\n`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  // A second signal while closing: give up waiting.
  const force = (): void => process.exit(0);
  process.once('SIGTERM', force);
  process.once('SIGINT', force);
  const timer = setTimeout(() => {
    process.stderr.write("ratebook: work in flight did not stop within 10 s; exiting\n");
    process.exit(0);
  }, 10_000);
  timer.unref();
  await running.close();
  return 0;
}
