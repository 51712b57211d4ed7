import type { Attachment } from '@app/async-tasks/contract';
import { format } from '../../i18n/format.js';

export interface MessageFilesProps {
  files: Attachment[];
  /** `Open {name}`: the link of each file. */
  openLabel: string;
}

const size = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;

/**
 * The files of a message in the thread: an image as a thumbnail that opens it full size in a new
 * tab, anything else as a link with its name and size (the server serves those as downloads).
 * The URLs are the visitor's own short-lived read URLs; nothing here is HTML from anyone.
 */
export function MessageFiles({ files, openLabel }: MessageFilesProps) {
  return (
    <ul class="acw-files" part="message-attachments">
      {files.map((f) => (
        <li key={f.id}>
          <a
            class="acw-file-link"
            href={f.url}
            target="_blank"
            rel="noopener noreferrer"
            aria-label={format(openLabel, { name: f.filename })}
          >
            {f.inline ? (
              <img
                class="acw-file-image"
                src={f.url}
                alt={f.filename}
                width={f.width ?? undefined}
                height={f.height ?? undefined}
                loading="lazy"
              />
            ) : (
              <span class="acw-file-doc">
                {f.filename} <span class="acw-file-size">({size(f.byteSize)})</span>
              </span>
            )}
          </a>
        </li>
      ))}
    </ul>
  );
}
