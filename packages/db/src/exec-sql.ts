import type { Sql } from './database.js';

/** What both engines' transaction handles really are: `Sql` plus multi-statement `exec`. */
export interface ExecSql extends Sql {
  exec(sql: string): Promise<void>;
}
