import { PostgresAdapter, sql, type ColumnDataType, type Kysely, type RawBuilder } from "kysely";

/** The few places the two dialects differ in DDL. SQLite keeps booleans as 0/1, times as ISO text and JSON as text. */
export interface ColumnTypes {
  postgres: boolean;
  /** Primary keys: `integer primary key autoincrement` on SQLite, serial on PostgreSQL (bigserial for the large tables). */
  id: ColumnDataType;
  bigId: ColumnDataType;
  bigRef: ColumnDataType;
  bool: ColumnDataType;
  time: ColumnDataType;
  json: ColumnDataType;
  false: RawBuilder<unknown>;
  true: RawBuilder<unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema version
export function columnTypes(db: Kysely<any>): ColumnTypes {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return postgres
    ? {
        postgres,
        id: "serial",
        bigId: "bigserial",
        bigRef: "bigint",
        bool: "boolean",
        time: "timestamptz",
        json: "jsonb",
        false: sql`false`,
        true: sql`true`,
      }
    : {
        postgres,
        id: "integer",
        bigId: "integer",
        bigRef: "integer",
        bool: "integer",
        time: "text",
        json: "text",
        false: sql`0`,
        true: sql`1`,
      };
}
