// `ratebook serve` (SPEC §7): flags win over the environment (RATEBOOK_PORT, RATEBOOK_HOST,
// RATEBOOK_DATA, RATEBOOK_UPLOAD_LIMIT_MB), which wins over the defaults.

import { UsageError, type Command } from './command.js';

function port(text: string, from: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`${from} must be a port number from 0 to 65535 (got "${text}")`);
  return Number(text);
}

function megabytes(text: string): number {
  if (!/^\d{1,7}$/.test(text) || Number(text) < 1) throw new UsageError(`RATEBOOK_UPLOAD_LIMIT_MB must be a whole number of MB, at least 1 (got "${text}")`);
  return Number(text) * 1024 * 1024;
}

export const serve: Command = {
  help: {
    usage: 'serve [--port 8080] [--host 127.0.0.1] [--data DIR]',
    summary: 'run the workbench server for a team: the API and the UI over a data directory',
    options: [
      ['--port N', 'port to listen on (RATEBOOK_PORT; default 8080; 0 picks a free one)'],
      ['--host H', 'address to listen on (RATEBOOK_HOST; default 127.0.0.1, this machine only)'],
      ['--data DIR', 'the data directory (RATEBOOK_DATA; default ./data); the first start there imports the sample'],
    ],
  },
  options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' } },
  async run(values, positionals) {
    if (positionals.length > 0) throw new UsageError(`serve takes no ${positionals[0]}`);
    const env = process.env;
    const options = {
      port: typeof values.port === 'string' ? port(values.port, '--port') : env.RATEBOOK_PORT ? port(env.RATEBOOK_PORT, 'RATEBOOK_PORT') : 8080,
      host: typeof values.host === 'string' ? values.host : env.RATEBOOK_HOST || '127.0.0.1',
      dataDir: typeof values.data === 'string' ? values.data : env.RATEBOOK_DATA || 'data',
      limits: env.RATEBOOK_UPLOAD_LIMIT_MB ? { cdrBytes: megabytes(env.RATEBOOK_UPLOAD_LIMIT_MB) } : undefined,
    };
    // The server's modules load only for this command, so the other commands start as fast as before.
    const { serveUntilSignal } = await import('../http/serve.js');
    return serveUntilSignal(options);
  },
};
