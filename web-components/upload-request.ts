// A multipart upload with progress: fetch() cannot report upload progress, XMLHttpRequest can.

import { failureOf, unreachable } from './api-failure.js';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  url: string;
  token: string;
  form: FormData;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

/** Sends the form; resolves with the status and parsed JSON body of a 2xx, rejects with an ApiFailure otherwise. */
export function sendUpload<T>(opts: UploadOptions): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', opts.url);
    xhr.setRequestHeader('Authorization', `Bearer ${opts.token}`);
    let total = 0;
    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      total = e.total;
      opts.onProgress?.({ loaded: e.loaded, total });
    });
    // The last progress event need not say 100%, but the whole body has gone.
    xhr.upload.addEventListener('load', () => opts.onProgress?.({ loaded: total, total }));
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve({ status: xhr.status, body: JSON.parse(xhr.responseText) as T });
        } catch {
          reject(failureOf(xhr.status, xhr.responseText, xhr.statusText));
        }
      } else reject(failureOf(xhr.status, xhr.responseText, xhr.statusText));
    });
    xhr.addEventListener('error', () => reject(unreachable('the upload was cut off')));
    xhr.addEventListener('abort', () => reject(unreachable('the upload was cancelled')));
    opts.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(opts.form);
  });
}
