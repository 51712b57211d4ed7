import type { UploadResult } from '../../contract/index.js';
import { AsyncTaskError } from '../../errors/async-task-error.js';
import { errorFromResponse } from '../../errors/error-from-response.js';
import { NetworkError } from '../../errors/network-error.js';
import type { UploadOptions } from '../transport.js';
import type { TokenSource } from './anonymous-session.js';
import { resolveAttachment } from './attachment-urls.js';
import type { Environment } from './environment.js';

/** An answer as far as the upload needs it. */
interface Answer {
  status: number;
  body: unknown;
}

// The file goes as the raw body of `POST /api/uploads?filename=`. Browsers report upload progress
// only for XMLHttpRequest, so it is used where it exists; elsewhere fetch (progress at the end).
function sendWithXhr(url: string, file: Blob, headers: Record<string, string>, options: UploadOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => options.onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {}
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('the upload got no answer'));
    xhr.onabort = () => reject(new DOMException('the upload was cancelled', 'AbortError'));
    if (options.signal) {
      if (options.signal.aborted) return xhr.abort();
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(file);
  });
}

async function sendWithFetch(
  env: Environment,
  url: string,
  file: Blob,
  headers: Record<string, string>,
  options: UploadOptions,
): Promise<Answer> {
  const res = await env.fetch(url, { method: 'POST', headers, body: file, ...(options.signal ? { signal: options.signal } : {}) });
  options.onProgress?.({ loaded: file.size, total: file.size });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/**
 * Uploads one file as the current visitor; a 401 is answered by one token refresh and one repeat.
 * Offline it refuses at once (a NetworkError with code `offline`): a file is never queued, since
 * the server decides what it is only once it has it.
 */
export function createUploader(
  baseUrl: string,
  env: Environment,
  tokens: TokenSource,
  xhrAvailable = () => typeof XMLHttpRequest === 'function',
) {
  return async (file: Blob, options: UploadOptions = {}): Promise<UploadResult> => {
    if (!env.isOnline()) {
      throw new NetworkError({ code: 'offline', message: 'You are offline: the file can be uploaded once the connection is back.' });
    }
    const name = options.filename ?? ((file as { name?: string }).name || 'file');
    const url = `${baseUrl}/api/uploads?filename=${encodeURIComponent(name)}`;
    for (let refreshed = false; ; refreshed = true) {
      const token = await tokens.token(refreshed);
      const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}) };
      if (file.type) headers['content-type'] = file.type;
      let answer: Answer;
      try {
        answer = xhrAvailable() ? await sendWithXhr(url, file, headers, options) : await sendWithFetch(env, url, file, headers, options);
      } catch (cause) {
        if ((cause as { name?: string })?.name === 'AbortError') throw cause;
        throw new NetworkError({ message: `POST /api/uploads failed`, code: 'network', cause });
      }
      if (answer.status >= 200 && answer.status < 300) return resolveAttachment(baseUrl, answer.body as UploadResult);
      const error = errorFromResponse(answer.status, answer.body, 'other');
      if (refreshed || !AsyncTaskError.isInstance(error) || error.status !== 401) throw error;
    }
  };
}
