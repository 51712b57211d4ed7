// How a column map (column name → PostgreSQL type, as information_schema.columns spells it)
// becomes the TypeScript type of its rows. The maps live in tables.ts; a test compares them with
// the migrated schema, so a row type cannot drift from the table it describes.

/** What both drivers (PGlite, node-postgres with @app/db's parsers) return for each type. */
interface ValueOfPgType {
  uuid: string;
  text: string;
  'character varying': string;
  integer: number;
  /** Parsed to a number by @app/db on both engines. */
  bigint: number;
  boolean: boolean;
  /** Parsed by the driver; its shape is the writer's (narrow it in the row type). */
  jsonb: unknown;
  'timestamp with time zone': Date;
}

export type PgType = keyof ValueOfPgType;

/** A column's type; ` null` when the column is nullable (as the migrations write it). */
export type ColumnType = PgType | `${PgType} null`;

export type ColumnMap = Readonly<Record<string, ColumnType>>;

type ValueOf<C extends ColumnType> = C extends `${infer T extends PgType} null`
  ? ValueOfPgType[T] | null
  : C extends PgType
    ? ValueOfPgType[C]
    : never;

/**
 * The row a `select *` returns for a column map. `Narrow` gives some columns a tighter type than
 * the database states (a text column with a check constraint, the shape of a jsonb column); it
 * must still fit the column.
 *
 * @example
 * type TaskRow = RowOf<typeof asyncTaskColumns, { status: TaskStatus }>;
 */
export type RowOf<M extends ColumnMap, Narrow extends { [K in keyof M]?: ValueOf<M[K]> } = Record<never, never>> = {
  -readonly [K in keyof M]: K extends keyof Narrow ? Narrow[K] : ValueOf<M[K]>;
};

/**
 * The same row rendered by `to_jsonb(row)` (e.g. inside `send_chat_message`'s answer): timestamps
 * are ISO strings there, everything else keeps its type.
 */
export type JsonRowOf<R> = {
  [K in keyof R]: R[K] extends Date ? string : R[K] extends Date | null ? string | null : R[K];
};
