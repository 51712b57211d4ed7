import { format } from '../../i18n/format.js';
import type { Attachments } from './use-attachments.js';

export interface AttachmentTrayProps {
  attachments: Attachments;
  labels: { attachments: string; uploading: string; removeFile: string; retry: string };
}

/**
 * The files waiting to go with the message: a preview (images) or the name, upload progress, the
 * reason a file failed with Retry, and Remove. Each control is a real button named after its file.
 */
export function AttachmentTray({ attachments, labels }: AttachmentTrayProps) {
  if (attachments.files.length === 0) return null;
  return (
    <ul class="acw-tray" part="attachments" aria-label={labels.attachments}>
      {attachments.files.map((f) => {
        const name = f.file.name || 'file';
        return (
          <li key={f.key} class="acw-file" data-state={f.state}>
            {f.preview ? <img class="acw-file-thumb" src={f.preview} alt="" /> : <span class="acw-file-thumb" aria-hidden="true" />}
            <span class="acw-file-name">{name}</span>
            {f.state === 'uploading' && (
              <progress
                class="acw-file-progress"
                max={100}
                value={Math.round(f.progress * 100)}
                aria-label={format(labels.uploading, { name })}
              />
            )}
            {f.state === 'failed' && (
              <>
                <span class="acw-file-error" role="alert">
                  {f.error}
                </span>
                <button type="button" class="acw-file-retry" onClick={() => attachments.retry(f.key)}>
                  {labels.retry}
                </button>
              </>
            )}
            <button
              type="button"
              class="acw-file-remove"
              aria-label={format(labels.removeFile, { name })}
              onClick={() => attachments.remove(f.key)}
            >
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
}
