import type { UploadResult } from '@app/async-tasks/contract';
import { useEffect, useRef, useState } from 'preact/hooks';

/** A file the visitor picked, pasted or dropped, on its way to the server. */
export interface PendingFile {
  key: string;
  file: File;
  /** An object URL of an image, for its preview (revoked when it leaves). */
  preview: string | null;
  /** 0…1 while uploading. */
  progress: number;
  state: 'uploading' | 'ready' | 'failed';
  upload: UploadResult | null;
  error: string | null;
}

export interface AttachmentOptions {
  upload: (
    file: Blob,
    options: { filename: string; onProgress: (p: { loaded: number; total: number }) => void; signal: AbortSignal },
  ) => Promise<UploadResult>;
  /** Accepted types as an `<input accept>` lists them (`image/*,application/pdf`). */
  accept: string;
  maxFiles: number;
  /** The messages for a refused type and for too many files (`{count}` filled in). */
  notAccepted: string;
  tooMany: string;
}

/** Whether `file` fits an `accept` list (types, `type/*` and `.ext` entries). */
export function accepts(accept: string, file: File): boolean {
  const entries = accept
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  if (entries.length === 0) return true;
  const type = file.type.toLowerCase();
  const name = file.name.toLowerCase();
  // A type the browser does not know (a .log file, say): the server decides from the content.
  if (!type && !entries.some((a) => a.startsWith('.'))) return true;
  return entries.some((a) => (a.startsWith('.') ? name.endsWith(a) : a.endsWith('/*') ? type.startsWith(a.slice(0, -1)) : type === a));
}

let counter = 0;

/**
 * The files of the message being written: each uploads at once (with progress), fails on its own
 * (with its reason, and Retry), and can be removed (an upload in flight is cancelled). The
 * server decides what a file is; the `accept` check here only spares the visitor a wasted upload.
 */
export function useAttachments(options: AttachmentOptions) {
  const [files, setFiles] = useState<PendingFile[]>([]);
  const controllers = useRef(new Map<string, AbortController>());
  const opts = useRef(options);
  opts.current = options;
  const patch = (key: string, change: Partial<PendingFile>) => setFiles((all) => all.map((f) => (f.key === key ? { ...f, ...change } : f)));

  const start = (key: string, file: File) => {
    const controller = new AbortController();
    controllers.current.set(key, controller);
    patch(key, { state: 'uploading', progress: 0, error: null });
    opts.current
      .upload(file, {
        filename: file.name || 'file',
        signal: controller.signal,
        onProgress: ({ loaded, total }) => patch(key, { progress: total > 0 ? loaded / total : 0 }),
      })
      .then(
        (upload) => patch(key, { state: 'ready', progress: 1, upload }),
        (error: unknown) => {
          if (!controller.signal.aborted) patch(key, { state: 'failed', error: error instanceof Error ? error.message : String(error) });
        },
      )
      .finally(() => controllers.current.delete(key));
  };

  const forget = (f: PendingFile) => {
    controllers.current.get(f.key)?.abort();
    if (f.preview) URL.revokeObjectURL(f.preview);
  };
  // The previews of files still shown when the composer goes away.
  const latest = useRef(files);
  latest.current = files;
  // biome-ignore lint/correctness/useExhaustiveDependencies: on unmount only.
  useEffect(() => () => latest.current.forEach(forget), []);

  return {
    files,
    ready: files.flatMap((f) => (f.state === 'ready' && f.upload ? [f.upload] : [])),
    busy: files.some((f) => f.state === 'uploading'),
    add(list: Iterable<File>) {
      const { accept, maxFiles, notAccepted, tooMany } = opts.current;
      let room = maxFiles - latest.current.length;
      const added: PendingFile[] = [];
      for (const file of list) {
        const key = `f${++counter}`;
        const preview =
          file.type.startsWith('image/') && accepts(accept, file) && typeof URL.createObjectURL === 'function'
            ? URL.createObjectURL(file)
            : null;
        const refused = !accepts(accept, file) ? notAccepted : room <= 0 ? tooMany.replace('{count}', String(maxFiles)) : null;
        if (!refused) room--;
        added.push({ key, file, preview, progress: 0, state: refused ? 'failed' : 'uploading', upload: null, error: refused });
      }
      setFiles((all) => [...all, ...added]);
      for (const f of added) if (f.state === 'uploading') start(f.key, f.file);
    },
    retry(key: string) {
      const f = latest.current.find((x) => x.key === key);
      if (f && f.state === 'failed' && accepts(opts.current.accept, f.file)) start(key, f.file);
    },
    remove(key: string) {
      const f = latest.current.find((x) => x.key === key);
      if (f) forget(f);
      setFiles((all) => all.filter((x) => x.key !== key));
    },
    /** After a send: the files went with the message (their previews are no longer needed). */
    clear() {
      latest.current.forEach(forget);
      setFiles([]);
    },
  };
}

export type Attachments = ReturnType<typeof useAttachments>;
