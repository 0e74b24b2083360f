// The API of a `ratebook serve` child process over real sockets, for the tests that need the
// process itself (kill -9, signals, memory, latency): requests with a token, tokens by role, a
// run waited for, an event stream read as it comes, CDR files streamed as multipart, and the
// server's memory from /proc.

import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { basename } from 'node:path';
import type { ServerProcess } from './server-process.js';

export interface RunDetail {
  id: number;
  status: 'queued' | 'rating' | 'done' | 'failed';
  version: number;
  progress: { bytes: number; totalBytes: number; lines: number };
  summary: { input: number; rated: number; exceptions: Record<string, number>; charge: string; cost: string } | null;
  files: { name: string; sha256: string; bytes: number }[];
  error?: string;
}

export class LiveApi {
  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  /** The same server as another caller. */
  as(token: string): LiveApi {
    return new LiveApi(this.url, token);
  }

  fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return fetch(new URL(path.replace(/^\//, ''), this.url), { method, headers, body: payload });
  }

  /** A JSON answer with its status. */
  async json<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const r = await this.fetch(method, path, body);
    return { status: r.status, body: (await r.json()) as T };
  }

  /** GET a JSON answer that must be 200. */
  async get<T = Record<string, unknown>>(path: string): Promise<T> {
    const r = await this.json<T>('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** POST /api/tokens as admin: the new token's secret. */
  async makeToken(name: string, role: string): Promise<string> {
    const r = await this.json<{ token: string }>('POST', '/api/tokens', { name, role });
    if (r.status !== 201) throw new Error(`POST /api/tokens: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token;
  }

  /** Polls the run until it is done or failed. */
  async settled(id: number, timeoutMs = 120_000): Promise<RunDetail> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.get<RunDetail>(`/api/runs/${id}`);
      if (r.status === 'done' || r.status === 'failed') return r;
      if (Date.now() > until) throw new Error(`run ${id} is still ${r.status} after ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  /** Uploads CDR files as POST /api/runs does it from a form (small files, read whole): the run's id. */
  async startRun(paths: string[]): Promise<number> {
    const form = new FormData();
    for (const p of paths) form.append('cdrs', new Blob([await readFile(p)], { type: 'text/csv' }), basename(p));
    const r = await this.json<{ id: number; error?: string }>('POST', '/api/runs', form);
    if (r.status !== 202) throw new Error(`POST /api/runs: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id;
  }
}

export const liveApi = (p: ServerProcess, token = p.adminToken): LiveApi => {
  if (!token) throw new Error('no token: the server printed none');
  return new LiveApi(p.url, token);
};

export interface SseEvent {
  event: string;
  data: unknown;
}

/** The events of a text/event-stream answer as they arrive (keep-alive comments skipped). */
export async function* sseEvents(res: Response): AsyncGenerator<SseEvent> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let end: number;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const event = /^event: ?(.*)$/m.exec(block)?.[1];
        const data = /^data: ?(.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined) yield { event, data: JSON.parse(data) as unknown };
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** The server process's memory now and at its peak, KiB (Linux /proc). */
export async function memoryOf(pid: number): Promise<{ rssKiB: number; hwmKiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM') };
}

export interface StreamedUpload {
  status: number;
  body: { id?: number; status?: string; error?: string };
  headers: Record<string, string | string[] | undefined>;
  /** Bytes of the request body written before the answer came. */
  sentBeforeAnswer: number;
  /** Whether the server closed the connection after answering. */
  closed: Promise<boolean>;
}

export interface StreamOptions {
  /** Form fields sent before the files. */
  fields?: Record<string, string>;
  /** Sent as Content-Length (true) or chunked (default false: chunked). */
  contentLength?: boolean;
  /** Called when all of the body but its last 64 KiB has been written (the server has not the whole file yet). */
  beforeLastChunk?: () => Promise<void>;
  /** The file field (default `cdrs`). */
  field?: string;
}

/**
 * POSTs files as multipart/form-data over node:http, streamed from disk chunk by chunk with
 * back-pressure: the client never holds a file either.
 */
export function streamUpload(url: string, path: string, token: string, files: string[], opts: StreamOptions = {}): Promise<StreamedUpload> {
  const boundary = `----ratebook-test-${Math.random().toString(16).slice(2)}`;
  const enc = (s: string): Buffer => Buffer.from(s, 'utf8');
  const fieldParts = Object.entries(opts.fields ?? {}).map(([k, v]) => enc(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const fileHead = (f: string): Buffer => enc(`--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'cdrs'}"; filename="${basename(f)}"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = enc(`--${boundary}--\r\n`);
  return (async () => {
    const { statSync } = await import('node:fs');
    const sizes = files.map((f) => statSync(f).size);
    const total = fieldParts.reduce((n, b) => n + b.length, 0) + files.reduce((n, f, i) => n + fileHead(f).length + sizes[i] + 2, 0) + tail.length;
    const u = new URL(path.replace(/^\//, ''), url);
    return new Promise<StreamedUpload>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` };
      if (opts.contentLength) headers['content-length'] = String(total);
      const req = request({ method: 'POST', hostname: u.hostname, port: u.port, path: u.pathname, headers, agent: false });
      let socketClosed!: (v: boolean) => void;
      const closed = new Promise<boolean>((r) => (socketClosed = r));
      req.on('socket', (s) => s.once('close', () => socketClosed(true)));
      req.on('response', (res) => {
        answered = true;
        const sentBeforeAnswer = sent;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          let body: StreamedUpload['body'];
          try {
            body = JSON.parse(text) as StreamedUpload['body'];
          } catch {
            body = { error: text };
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers, sentBeforeAnswer, closed });
        });
      });
      // Writing on after the server answered and closed may fail: the answer is what counts.
      req.on('error', (e) => {
        if (!answered) reject(e);
      });
      const write = (b: Buffer): Promise<void> =>
        new Promise((res) => {
          if (answered || req.destroyed) return res();
          sent += b.length;
          if (req.write(b)) res();
          else {
            const go = (): void => {
              req.off('close', go);
              req.off('drain', go);
              res();
            };
            req.once('drain', go);
            req.once('close', go);
          }
        });
      void (async () => {
        try {
          for (const p of fieldParts) await write(p);
          for (let i = 0; i < files.length; i++) {
            await write(fileHead(files[i]));
            const last = i === files.length - 1;
            const lastChunkAt = sizes[i] - 64 * 1024;
            let at = 0;
            for await (const chunk of createReadStream(files[i], { highWaterMark: 256 * 1024 })) {
              let b = chunk as Buffer;
              if (last && opts.beforeLastChunk && at < lastChunkAt && at + b.length >= lastChunkAt) {
                const cut = lastChunkAt - at;
                await write(b.subarray(0, cut));
                await opts.beforeLastChunk();
                b = b.subarray(cut);
                at += cut;
              }
              await write(b);
              at += b.length;
              if (answered) break;
            }
            await write(enc('\r\n'));
          }
          await write(tail);
          if (!answered && !req.destroyed) req.end();
        } catch (e) {
          if (!answered) reject(e as Error);
        }
      })();
    });
  })();
}
