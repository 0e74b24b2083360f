// Server-Sent Events read with fetch(): EventSource cannot send an Authorization header, and the
// server takes the token only there. The parser is the text/event-stream format's: `event:` and
// `data:` lines, a blank line ends a message, `:` lines are comments.

import { failureOf, unreachable } from './api-failure.js';

export interface SseMessage {
  event: string;
  data: string;
}

/** Cuts a stream's text into messages, however the chunks fall. */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const nl = this.buffer.search(/\r\n|\r|\n/);
      // A CR at the end may be half of a CRLF whose LF is in the next chunk.
      if (nl < 0 || (nl === this.buffer.length - 1 && this.buffer[nl] === '\r')) break;
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + (this.buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (this.data.length > 0) out.push({ event: this.event || 'message', data: this.data.join('\n') });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
    }
    return out;
  }
}

/**
 * Reads an event stream until the server ends it (resolves), `signal` aborts it (resolves), or the
 * request fails (rejects with an ApiFailure). `onMessage` returning true stops reading.
 */
export async function readEventStream(url: string, token: string, onMessage: (m: SseMessage) => boolean | void, signal?: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, signal, cache: 'no-store' });
  } catch (e) {
    if (signal?.aborted) return;
    throw unreachable(e instanceof Error ? e.message : String(e));
  }
  if (!res.ok || !res.body) throw failureOf(res.status, await res.text(), res.statusText);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const m of parser.push(value)) {
        if (onMessage(m) === true) return;
      }
    }
  } catch (e) {
    if (signal?.aborted) return;
    throw unreachable(e instanceof Error ? e.message : String(e));
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
