import { describe, expect, it } from 'vitest';
import { memoryDatabase } from '../../test/support/test-app.js';
import { uploadColumns } from './upload-table.js';

describe('the uploads column map', () => {
  it('matches the migrated schema: names, types and nullability', async () => {
    const db = await memoryDatabase();
    try {
      const { rows } = await db.query<{ column_name: string; data_type: string; is_nullable: 'YES' | 'NO' }>(
        `select column_name, data_type, is_nullable from information_schema.columns where table_schema = 'public' and table_name = 'uploads'`,
      );
      const columns = Object.fromEntries(rows.map((c) => [c.column_name, c.is_nullable === 'YES' ? `${c.data_type} null` : c.data_type]));
      expect(columns).toEqual(uploadColumns);
    } finally {
      await db.close();
    }
  });
});
