/**
 * The schema's history, written in code: no files are scanned at run time,
 * so `deno compile` keeps working. Append new migrations; never edit one
 * that has shipped.
 *
 * @example
 * ```ts
 * import { Kysely } from "kysely";
 * import { migrateToLatest } from "./migrations.ts";
 * import { nodeSqliteDialect } from "./node_sqlite_dialect.ts";
 * const db = new Kysely<unknown>({ dialect: nodeSqliteDialect(":memory:") });
 * await migrateToLatest(db, "sqlite");
 * await db.destroy();
 * ```
 * @module
 */
import type { Kysely } from "kysely";
import {
  type Migration,
  type MigrationProvider,
  Migrator,
} from "kysely/migration";
import type { DialectName } from "./db_target.ts";
import { StoreError } from "./store_error.ts";

export type { DialectName } from "./db_target.ts";

/** Every migration, by name; names sort in the order they must run. */
export function migrations(dialect: DialectName): Record<string, Migration> {
  // SQLite has no time type; ISO-8601 text sorts and reads back exactly.
  const time = dialect === "postgres" ? "timestamptz" : "text";
  return {
    "0001_accounts_and_rooms": {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable("accounts")
          .addColumn("username", "text", (c) => c.primaryKey())
          .addColumn("password_hash", "text", (c) => c.notNull())
          .addColumn("created_at", time, (c) => c.notNull())
          .addColumn("last_login_at", time)
          .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.createTable("rooms")
          .addColumn("name", "text", (c) => c.primaryKey())
          .addColumn("password_hash", "text")
          .addColumn("is_private", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("max_members", "integer")
          .addColumn("created_at", time, (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable("rooms").execute();
        await db.schema.dropTable("accounts").execute();
      },
    },
    // One row per disable, remove or password change: every server polls
    // the newest rows and ends the sessions they revoke. Ids only grow
    // (SQLite's AUTOINCREMENT never reuses one; PostgreSQL's serial).
    "0002_revocations": {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable("revocations")
          .addColumn(
            "id",
            dialect === "postgres" ? "serial" : "integer",
            (c) =>
              dialect === "postgres"
                ? c.primaryKey()
                : c.primaryKey().autoIncrement(),
          )
          .addColumn("username", "text", (c) => c.notNull())
          .addColumn("reason", "text", (c) => c.notNull())
          .addColumn("at", time, (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable("revocations").execute();
      },
    },
  };
}

/** A provider that hands Kysely's Migrator the migrations above. */
export class InCodeMigrationProvider implements MigrationProvider {
  /** Provides the migrations for `dialect`. */
  constructor(readonly dialect: DialectName) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.dialect));
  }
}

/**
 * Brings the schema up to date. Safe to run from several processes at once:
 * Kysely's migrator takes a lock in the database.
 *
 * @throws {StoreError} `unavailable` when a migration fails.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: DialectName,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrationProvider(dialect),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error");
    throw new StoreError(
      "unavailable",
      `database migration ${failed?.migrationName ?? "(before any)"} failed: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  }
}
