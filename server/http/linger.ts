// Closing a connection whose request body is still arriving (a body refused before it was read,
// 413): closing the socket at once would lose the answer now and then, since the kernel meets
// unread bytes on close and sends RST, and the client's next write fails (EPIPE, ECONNRESET)
// before it has read the 413. So the connection closes the lingering way: the answer
// (Connection: close) and FIN are sent, the rest of the body is read and dropped until the client
// closes its side — LINGER_MS or LINGER_BYTES at most — and only then is the socket destroyed.

import type { IncomingMessage } from 'node:http';
import type { ApiContext } from './api-router.js';

/** How long, and how much of the refused body, a connection refused early is read on before it is dropped. */
const LINGER_MS = 2000;
const LINGER_BYTES = 64 * 1024 * 1024;

/**
 * Makes the close that follows this request's answer a lingering one (see the header). Node's
 * server closes a `Connection: close` connection, once the answer is written, by the socket's
 * destroySoon: this socket's does the lingering instead. No-op without a Node socket (app.request).
 */
export function lingerOnClose(c: ApiContext): void {
  const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
  if (!socket || socket.destroyed) return;
  let lingering = false;
  socket.destroySoon = () => {
    if (lingering) return;
    lingering = true;
    let read = 0;
    const drop = (): void => {
      clearTimeout(timer);
      socket.destroy();
    };
    const timer = setTimeout(drop, LINGER_MS);
    timer.unref();
    // Counted on the socket: the request stream, dumped once answered, no longer sees the body.
    // (The server's parser still reads every byte and drops it.)
    socket.on('data', (b: Buffer) => {
      read += b.length;
      if (read > LINGER_BYTES) drop();
    });
    socket.once('end', drop);
    socket.once('close', () => clearTimeout(timer));
    // FIN after the answer: the client reads the 413, then closes its side.
    socket.end();
  };
}
