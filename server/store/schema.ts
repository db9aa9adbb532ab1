/**
 * The tables as Kysely sees them. Flags are integers (0/1) and times are
 * ISO-8601 text in SQLite, `timestamptz` in PostgreSQL: both read back as
 * `string | Date`, which the store turns into `Date`.
 *
 * @example
 * ```ts
 * import type { Database } from "./schema.ts";
 * type Columns = keyof Database["accounts"];
 * const column: Columns = "password_hash";
 * ```
 * @module
 */
import type { ColumnType, Generated } from "kysely";

/** A time column: written as ISO text, read as text or `Date`. */
export type TimeColumn = ColumnType<string | Date, string, string>;

/** The `accounts` table. */
export interface AccountsTable {
  username: string;
  password_hash: string;
  created_at: TimeColumn;
  last_login_at: ColumnType<
    string | Date | null,
    string | null | undefined,
    string | null
  >;
  disabled: ColumnType<number, number | undefined, number>;
}

/** The `rooms` table: declared rooms. */
export interface RoomsTable {
  name: string;
  password_hash: string | null;
  is_private: number;
  max_members: number | null;
  created_at: TimeColumn;
}

/** The `revocations` table: account changes that end live sessions. */
export interface RevocationsTable {
  id: Generated<number>;
  username: string;
  /** `disabled`, `removed` or `password`. */
  reason: string;
  at: TimeColumn;
}

/** Every table of the store. */
export interface Database {
  accounts: AccountsTable;
  rooms: RoomsTable;
  revocations: RevocationsTable;
}
