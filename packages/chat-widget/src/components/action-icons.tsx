// Icons of the reply actions (panel chunk only; the launcher's are in icons.tsx). Decorative: each
// button carries its accessible name.
const icon = (d: string) => () => (
  <svg
    viewBox="0 0 24 24"
    aria-hidden="true"
    focusable="false"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
  >
    <path d={d} />
  </svg>
);

export const CopyIcon = icon('M9 9h10v11H9zM5 15V4h10');
export const MarkdownIcon = icon('M3 6h18v12H3zM6 15V9l3 3 3-3v6M17 9v6m-2-2 2 2 2-2');
export const ThumbUpIcon = icon('M7 11v9H4v-9zM7 11l4-8a2 2 0 0 1 3 2l-1 5h6a2 2 0 0 1 2 2l-2 7a2 2 0 0 1-2 1H7');
export const ThumbDownIcon = icon('M17 13V4h3v9zM17 13l-4 8a2 2 0 0 1-3-2l1-5H5a2 2 0 0 1-2-2l2-7a2 2 0 0 1 2-1h10');
export const RegenerateIcon = icon('M20 11a8 8 0 1 0-2 6M20 4v7h-7');
export const EditIcon = icon('M4 20h4L19 9l-4-4L4 16zM13 7l4 4');
export const PlusIcon = icon('M12 5v14M5 12h14');
export const TrashIcon = icon('M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3');
export const ListIcon = icon('M4 6h16M4 12h16M4 18h10');
