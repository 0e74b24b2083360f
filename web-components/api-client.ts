// The typed client of the workbench API (SPEC §7) every element talks through: the Bearer token on
// each request, errors turned into ApiFailure ({status, error, issues}) for the element to show
// where it happened. Money comes back as decimal strings and is passed on untouched.

import { ApiFailure, failureOf, unreachable } from './api-failure.js';
import type { GridPage, Imported, Me, RateSummary, RunDetail, RunEvent, RunList, RunStarted, VersionDetail, VersionDiff, VersionList, VersionSummary } from './api-types.js';
import { readEventStream } from './event-stream.js';
import { gridSearchParams, type GridRequest } from './grid-request.js';
import { sendUpload, type UploadProgress } from './upload-request.js';

type Query = Record<string, string | number | undefined>;

export class ApiClient {
  constructor(
    readonly token: string,
    /** Where /api is, as an absolute or page-relative URL. */
    readonly base = 'api',
  ) {}

  url(path: string, query?: Query | URLSearchParams): string {
    const u = new URL(this.base.replace(/\/$/, '') + path, document.baseURI);
    if (query instanceof URLSearchParams) u.search = query.toString();
    else for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** A JSON request; rejects with an ApiFailure for a non-2xx answer or none at all. */
  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, opts: { query?: Query | URLSearchParams; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.url(path, opts.query), { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: opts.signal });
    } catch (e) {
      if (opts.signal?.aborted) throw new ApiFailure({ status: 0, error: 'cancelled' });
      throw unreachable(e instanceof Error ? e.message : String(e));
    }
    const text = await res.text();
    if (!res.ok) throw failureOf(res.status, text, res.statusText);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiFailure({ status: res.status, error: `the server's answer to ${method} ${path} is not JSON` });
    }
  }

  me = (): Promise<Me> => this.request('GET', '/me');

  // Workbooks
  versions = (): Promise<VersionList> => this.request('GET', '/versions');
  version = (seq: number): Promise<VersionDetail> => this.request('GET', `/versions/${seq}`);
  diff = (seq: number, against?: number): Promise<VersionDiff> => this.request('GET', `/versions/${seq}/diff`, { query: { against } });
  publish = (seq: number): Promise<VersionSummary> => this.request('POST', `/versions/${seq}/publish`);
  importGoogleSheet = (spreadsheetId: string): Promise<Imported> => this.request('POST', '/versions/google', { body: { spreadsheetId } });

  async uploadWorkbook(file: File, onProgress?: (p: UploadProgress) => void, signal?: AbortSignal): Promise<{ status: number; body: Imported }> {
    const form = new FormData();
    form.append('file', file, file.name);
    return sendUpload<Imported>({ url: this.url('/versions'), token: this.token, form, onProgress, signal });
  }

  // Runs
  runs = (): Promise<RunList> => this.request('GET', '/runs');
  run = (id: number): Promise<RunDetail> => this.request('GET', `/runs/${id}`);

  async uploadCdrs(files: readonly File[], opts: { version?: number; format?: string; onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {}): Promise<RunStarted> {
    const form = new FormData();
    // Fields before files: a streaming server reads them first.
    if (opts.version !== undefined) form.append('version', String(opts.version));
    if (opts.format) form.append('format', opts.format);
    for (const f of files) form.append('cdrs', f, f.name);
    return (await sendUpload<RunStarted>({ url: this.url('/runs'), token: this.token, form, onProgress: opts.onProgress, signal: opts.signal })).body;
  }

  /**
   * Follows a run's event stream until it is done or failed and resolves with that event. A stream
   * that ends early is opened again (the run's state is asked first, so a finished run resolves).
   */
  async watchRun(id: number, onEvent: (e: RunEvent) => void, signal?: AbortSignal): Promise<RunEvent | null> {
    for (let attempt = 0; attempt < 30 && !signal?.aborted; attempt++) {
      let last: RunEvent | null = null;
      await readEventStream(
        this.url(`/runs/${id}/events`),
        this.token,
        (m) => {
          const e = runEventOf(m.event, m.data);
          if (!e) return false;
          onEvent(e);
          if (e.kind !== 'progress') last = e;
          return e.kind !== 'progress';
        },
        signal,
      );
      if (last) return last;
      if (signal?.aborted) return null;
      const r = await this.run(id);
      if (r.status === 'done') return { kind: 'done', summary: r.summary ?? null };
      if (r.status === 'failed') return { kind: 'failed', error: r.error ?? 'the run failed' };
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return null;
  }

  // Grids
  gridPage = (path: string, req: GridRequest, signal?: AbortSignal): Promise<GridPage> => this.request('GET', path, { query: gridSearchParams(req), signal });

  /**
   * Saves a file the browser's own way: a short-lived, single-use link is asked for with the token
   * (POST /downloads) and followed, so the file streams to disk through the browser's download UI,
   * is never held whole in the page, and the token is in no URL. `path` is relative to /api.
   */
  async download(path: string, fallbackName: string): Promise<void> {
    const link = await this.request<{ href: string; expiresAt: string }>('POST', '/downloads', { body: { path: `/api${path}` } });
    const a = document.createElement('a');
    // The link is /api/downloads/…: resolved against this client's base, as every request is.
    a.href = this.url(link.href.replace(/^\/api(?=\/)/, ''));
    // The server's file name comes first; this one is for a browser that goes without it.
    a.download = fallbackName;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
  }
}

/** A run event from its SSE message; unknown events are skipped. */
export function runEventOf(event: string, data: string): RunEvent | null {
  let d: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(data) as unknown;
    if (parsed && typeof parsed === 'object') d = parsed as Record<string, unknown>;
  } catch {
    // a data line that is not JSON: the event name still counts
  }
  switch (event) {
    case 'progress': {
      const p = (d.progress ?? d) as Record<string, unknown>;
      return { kind: 'progress', progress: { bytes: Number(p.bytes ?? 0), totalBytes: Number(p.totalBytes ?? 0), lines: Number(p.lines ?? 0), file: typeof p.file === 'string' ? p.file : null } };
    }
    case 'done': {
      // The summary itself, or wrapped in { summary }.
      const s = d.summary ?? (d.input !== undefined ? d : null);
      return { kind: 'done', summary: (s as RateSummary | null) ?? null };
    }
    case 'failed':
      return { kind: 'failed', error: typeof d.error === 'string' ? d.error : data || 'the run failed' };
    default:
      return null;
  }
}
