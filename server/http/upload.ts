// Multipart uploads streamed to disk (SPEC §7): each file part is written to a temp file in the
// caller's directory as it arrives and hashed on the way, never held whole in memory (Hono's
// parseBody would buffer it). Over the limit: 413 naming the limit in MB, and nothing is kept.
// The client's file name is kept only as a label; the temp file's name is ours.
//
// A body whose Content-Length alone is over the limit is refused before it is read, while the
// client is still sending it, and the connection closed the lingering way (linger.ts).

import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { ApiError, badRequest } from './errors.js';
import { lingerOnClose } from './linger.js';
import type { ApiContext } from './api-router.js';

export interface UploadedFile {
  /** The form field it came in. */
  field: string;
  /** The client's file name, as a label only (never a path): its last segment, trimmed. */
  name: string;
  /** Where it is on disk now (a temp name in the upload directory). */
  path: string;
  bytes: number;
  sha256: string;
  mimeType: string;
}

export interface Upload {
  files: UploadedFile[];
  fields: Record<string, string>;
}

export interface UploadLimits {
  /** Directory for the temp files (inside the data directory, so a rename into place is atomic). */
  dir: string;
  /** Form fields that may carry files. */
  fileFields: readonly string[];
  maxFileBytes: number;
  maxFiles: number;
  /** What the limit is called in the 413 message, e.g. "a CDR file". */
  what: string;
}

const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;

/** A label for a client's file name: its last path segment, no control characters, at most 200 characters. */
export function fileLabel(name: string | undefined): string {
  const last = basename(String(name ?? '').replace(/\\/g, '/'));
  // eslint-disable-next-line no-control-regex
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean === '' || clean === '.' || clean === '..' ? 'upload' : clean;
}

export async function receiveUpload(c: ApiContext, limits: UploadLimits): Promise<Upload> {
  const type = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(type)) throw new ApiError(415, 'send the file as multipart/form-data');
  const declared = Number(c.req.header('content-length') ?? NaN);
  // Refuse before reading when the length alone says it is too big (the connection is closed after).
  if (declared > limits.maxFileBytes * limits.maxFiles + 1024 * 1024) {
    lingerOnClose(c);
    throw tooLarge(limits);
  }
  const body = c.req.raw.body;
  if (!body) throw badRequest('the request has no body');
  await mkdir(limits.dir, { recursive: true });

  const files: UploadedFile[] = [];
  const fields: Record<string, string> = {};
  const writes: Promise<void>[] = [];
  let failure: ApiError | null = null;
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: { 'content-type': type }, limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 20, fieldSize: 64 * 1024 } });
  } catch {
    throw badRequest('the multipart body has no boundary');
  }
  const fail = (e: ApiError): void => {
    failure ??= e;
  };

  bb.on('file', (field, stream, info) => {
    if (!limits.fileFields.includes(field) || failure) {
      if (!failure && !limits.fileFields.includes(field)) fail(badRequest(`unexpected file field "${field}" (expected ${limits.fileFields.join(' or ')})`));
      stream.resume();
      return;
    }
    const file: UploadedFile = { field, name: fileLabel(info.filename), path: join(limits.dir, `${randomBytes(8).toString('hex')}.part`), bytes: 0, sha256: '', mimeType: info.mimeType };
    files.push(file);
    const hash = createHash('sha256');
    stream.on('limit', () => fail(tooLarge(limits)));
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        file.bytes += chunk.length;
        hash.update(chunk);
        done(null, chunk);
      },
    });
    writes.push(
      pipeline(stream, count, createWriteStream(file.path, { flags: 'wx' })).then(
        () => {
          file.sha256 = hash.digest('hex');
        },
        (e: Error) => fail(badRequest(`the upload of ${file.name} was cut short (${e.message})`)),
      ),
    );
  });
  bb.on('field', (name, value) => {
    fields[name] = value;
  });
  bb.on('filesLimit', () => fail(badRequest(`at most ${limits.maxFiles} files at once`)));

  try {
    await pipeline(Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>), bb);
  } catch (e) {
    fail(badRequest(`the multipart body could not be read (${(e as Error).message})`));
  }
  await Promise.all(writes);
  if (failure) {
    await discard(files);
    throw failure;
  }
  return { files, fields };
}

/** Removes an upload's temp files (a refused or failed upload keeps nothing). */
export async function discard(files: readonly UploadedFile[]): Promise<void> {
  await Promise.all(files.map((f) => rm(f.path, { force: true })));
}

const tooLarge = (limits: UploadLimits): ApiError => new ApiError(413, `${limits.what} may be at most ${mb(limits.maxFileBytes)}`);
