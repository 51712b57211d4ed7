import type { ColumnMap, RowOf } from './column-types.js';

// public.uploads as the server reads it (checked against the schema like the maps in tables.ts).

export const uploadColumns = {
  id: 'uuid',
  owner_id: 'uuid',
  filename: 'text',
  media_type: 'text',
  byte_size: 'integer',
  width: 'integer null',
  height: 'integer null',
  storage: 'text',
  storage_key: 'text null',
  text_content: 'text null',
  conversation_id: 'uuid null',
  message_id: 'uuid null',
  expires_at: 'timestamp with time zone null',
  created_at: 'timestamp with time zone',
} as const satisfies ColumnMap;

/** A row of `public.uploads`; `storage` is held to its two values by a check constraint. */
export type UploadRow = RowOf<typeof uploadColumns, { storage: 'database' | 's3' }>;
