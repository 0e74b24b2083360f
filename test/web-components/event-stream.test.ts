import { describe, expect, it } from 'vitest';
import { runEventOf } from '../../web-components/api-client.js';
import { SseParser } from '../../web-components/event-stream.js';

describe('SseParser', () => {
  it('cuts a stream into messages however the chunks fall', () => {
    const text = ': hello\nevent: progress\ndata: {"bytes":10,"totalBytes":100,"lines":5}\n\nevent: progress\r\ndata: {"bytes":100,\r\ndata: "totalBytes":100,"lines":50}\r\n\r\nevent: done\ndata: {}\n\n';
    for (const size of [1, 3, 7, text.length]) {
      const p = new SseParser();
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
      expect(out, `chunks of ${size}`).toEqual([
        { event: 'progress', data: '{"bytes":10,"totalBytes":100,"lines":5}' },
        { event: 'progress', data: '{"bytes":100,\n"totalBytes":100,"lines":50}' },
        { event: 'done', data: '{}' },
      ]);
    }
  });
});

describe('run events', () => {
  it('read progress, done and failed, bare or wrapped', () => {
    expect(runEventOf('progress', '{"bytes":5,"totalBytes":10,"lines":2,"file":"a.csv"}')).toEqual({ kind: 'progress', progress: { bytes: 5, totalBytes: 10, lines: 2, file: 'a.csv' } });
    expect(runEventOf('progress', '{"progress":{"bytes":5,"totalBytes":10,"lines":2}}')).toEqual({ kind: 'progress', progress: { bytes: 5, totalBytes: 10, lines: 2, file: null } });
    const summary = { input: 3, rated: 2, exceptions: { NO_RATE: 1 }, charge: '1.00', cost: '0.50' };
    expect(runEventOf('done', JSON.stringify(summary))).toEqual({ kind: 'done', summary });
    expect(runEventOf('done', JSON.stringify({ summary }))).toEqual({ kind: 'done', summary });
    expect(runEventOf('failed', '{"error":"interrupted"}')).toEqual({ kind: 'failed', error: 'interrupted' });
    expect(runEventOf('ping', '{}')).toBeNull();
  });
});
