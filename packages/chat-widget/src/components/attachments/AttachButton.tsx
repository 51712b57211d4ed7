import { useRef } from 'preact/hooks';

export interface AttachButtonProps {
  label: string;
  accept: string;
  onFiles: (files: File[]) => void;
}

/** A button that opens the file picker (the input itself stays hidden; the button is what keyboards and screen readers reach). */
export function AttachButton({ label, accept, onFiles }: AttachButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" class="acw-attach" part="attach-button" aria-label={label} title={label} onClick={() => input.current?.click()}>
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            d="M21 11.5l-8.5 8.5a5.5 5.5 0 01-7.8-7.8l9-9a3.7 3.7 0 015.2 5.2l-9 9a1.8 1.8 0 01-2.6-2.6L15 7"
          />
        </svg>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept={accept}
        tabIndex={-1}
        onChange={(e) => {
          const list = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (list.length) onFiles(list);
        }}
      />
    </>
  );
}

/** The files of a paste or a drop, if any. */
export const filesOf = (data: DataTransfer | null): File[] => (data ? [...data.files] : []);
