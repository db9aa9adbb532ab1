/**
 * The {@linkcode Store} on Kysely: the same queries for SQLite and
 * PostgreSQL. Every write is a single statement (inserts use
 * `ON CONFLICT DO NOTHING` and updates report the rows they touched), so
 * concurrent writers — the admin CLI, one or several servers — need no
 * application-level locking. The exceptions are the changes that revoke
 * sessions: the change and its revocation row are one transaction, and on
 * PostgreSQL that transaction locks the revocations table (against other
 * writers only) so that ids are handed out in commit order and a server
 * reading `id > last seen` never skips one that commits late.
 *
 * @example
 * ```ts
 * import { openStore } from "./mod.ts";
 * await using store = await openStore(":memory:");
 * await store.addRoom({ name: "lobby", passwordHash: null, isPrivate: false, maxMembers: 8 });
 * console.assert((await store.listRooms())[0]?.maxMembers === 8);
 * ```
 * @module
 */
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { DialectName } from "./db_target.ts";
import type {
  AccountsTable,
  Database,
  RevocationsTable,
  RoomsTable,
} from "./schema.ts";
import type {
  Account,
  NewAccount,
  NewRoom,
  Revocation,
  RevocationReason,
  RoomRecord,
  Store,
} from "./store.ts";
import { StoreError } from "./store_error.ts";

/**
 * Revocations older than this are deleted by the next one written: every
 * server reads them within a second or two, so a week is ample.
 */
export const REVOCATION_KEEP_MS = 7 * 24 * 3600 * 1000;

/** A store over an open, migrated Kysely instance, which it owns. */
export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;
  #closing: Promise<void> | null = null;

  /** Wraps `db`, of `dialect`; {@linkcode close} destroys it. */
  constructor(
    db: Kysely<Database>,
    readonly location: string,
    readonly dialect: DialectName = "sqlite",
  ) {
    this.#db = db;
  }

  async addAccount(account: NewAccount): Promise<void> {
    const result = await this.#live().insertInto("accounts")
      .values({
        username: account.username,
        password_hash: account.passwordHash,
        created_at: (account.createdAt ?? new Date()).toISOString(),
        disabled: 0,
      })
      .onConflict((oc) => oc.column("username").doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) {
      throw new StoreError(
        "duplicate",
        `user ${account.username} already exists`,
      );
    }
  }

  async findAccount(username: string): Promise<Account | null> {
    // One statement: the row and the newest revocation from one snapshot.
    const row = await this.#live().selectFrom("accounts").selectAll()
      .select(NEWEST_REVOCATION.as("revision"))
      .where("username", "=", username)
      .executeTakeFirst();
    return row === undefined ? null : toAccount(row);
  }

  async listAccounts(): Promise<Account[]> {
    const rows = await this.#live().selectFrom("accounts").selectAll()
      .select(NEWEST_REVOCATION.as("revision"))
      .orderBy("username").execute();
    return rows.map(toAccount);
  }

  async countAccounts(): Promise<number> {
    const row = await this.#live().selectFrom("accounts")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    // PostgreSQL counts in bigint, which the driver hands over as text.
    return Number(row.n);
  }

  setPasswordHash(username: string, passwordHash: string): Promise<void> {
    return this.#revoking(
      username,
      "password",
      async (trx) =>
        (await trx.updateTable("accounts")
          .set({ password_hash: passwordHash })
          .where("username", "=", username)
          .executeTakeFirst()).numUpdatedRows,
    );
  }

  async setDisabled(username: string, disabled: boolean): Promise<void> {
    const update = (db: Kysely<Database>) =>
      db.updateTable("accounts")
        .set({ disabled: disabled ? 1 : 0 })
        .where("username", "=", username)
        .executeTakeFirst();
    if (disabled) {
      return this.#revoking(
        username,
        "disabled",
        async (trx) => (await update(trx)).numUpdatedRows,
      );
    }
    expectOne((await update(this.#live())).numUpdatedRows, `user ${username}`);
  }

  removeAccount(username: string): Promise<void> {
    return this.#revoking(
      username,
      "removed",
      async (trx) =>
        (await trx.deleteFrom("accounts")
          .where("username", "=", username)
          .executeTakeFirst()).numDeletedRows,
    );
  }

  /**
   * Runs `change` (which returns the rows it touched: one, or none for an
   * unknown user) and records its revocation, in one transaction.
   */
  async #revoking(
    username: string,
    reason: RevocationReason,
    change: (trx: Transaction<Database>) => Promise<bigint | undefined>,
  ): Promise<void> {
    const at = new Date();
    await this.#live().transaction().execute(async (trx) => {
      if (this.dialect === "postgres") {
        // EXCLUSIVE blocks other writers of the table, not its readers.
        await sql`LOCK TABLE revocations IN EXCLUSIVE MODE`.execute(trx);
      }
      expectOne(await change(trx), `user ${username}`);
      await trx.insertInto("revocations")
        .values({ username, reason, at: at.toISOString() })
        .execute();
      await trx.deleteFrom("revocations")
        .where(
          "at",
          "<",
          new Date(at.getTime() - REVOCATION_KEEP_MS).toISOString(),
        )
        .execute();
    });
  }

  async latestRevision(): Promise<number> {
    const row = await this.#live()
      .selectNoFrom(NEWEST_REVOCATION.as("revision"))
      .executeTakeFirstOrThrow();
    return Number(row.revision ?? 0);
  }

  async revocationsSince(after: number, limit: number): Promise<Revocation[]> {
    const rows = await this.#live().selectFrom("revocations").selectAll()
      .where("id", ">", after)
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(toRevocation);
  }

  async recordLogin(username: string, at: Date): Promise<void> {
    await this.#live().updateTable("accounts")
      .set({ last_login_at: at.toISOString() })
      .where("username", "=", username)
      .execute();
  }

  async addRoom(room: NewRoom): Promise<void> {
    const result = await this.#live().insertInto("rooms")
      .values({
        name: room.name,
        password_hash: room.passwordHash,
        is_private: room.isPrivate ? 1 : 0,
        max_members: room.maxMembers,
        created_at: (room.createdAt ?? new Date()).toISOString(),
      })
      .onConflict((oc) => oc.column("name").doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) {
      throw new StoreError("duplicate", `room ${room.name} already exists`);
    }
  }

  async listRooms(): Promise<RoomRecord[]> {
    const rows = await this.#live().selectFrom("rooms").selectAll()
      .orderBy("created_at").orderBy("name").execute();
    return rows.map(toRoom);
  }

  async removeRoom(name: string): Promise<void> {
    const result = await this.#live().deleteFrom("rooms")
      .where("name", "=", name)
      .executeTakeFirst();
    expectOne(result.numDeletedRows, `room ${name}`);
  }

  async setRoomPasswordHash(name: string, passwordHash: string) {
    const result = await this.#live().updateTable("rooms")
      .set({ password_hash: passwordHash })
      .where("name", "=", name)
      .executeTakeFirst();
    expectOne(result.numUpdatedRows, `room ${name}`);
  }

  async ping(): Promise<void> {
    // A real table, so that SQLite reads the file rather than answering
    // a constant from memory.
    await this.#live().selectFrom("rooms").select("name").limit(1).execute();
  }

  /** The database, unless the store is closed. */
  #live(): Kysely<Database> {
    if (this.#closing !== null) {
      throw new StoreError("unavailable", `store ${this.location} is closed`);
    }
    return this.#db;
  }

  close(): Promise<void> {
    this.#closing ??= this.#db.destroy();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function expectOne(rows: bigint | undefined, what: string): void {
  if (Number(rows ?? 0n) === 0) {
    throw new StoreError("not-found", `${what} does not exist`);
  }
}

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** The newest revocation's id (null when none), as a scalar subquery. */
const NEWEST_REVOCATION = sql<
  number | string | null
>`(SELECT max(id) FROM revocations)`;

function toAccount(
  row: Selectable<AccountsTable> & { revision: unknown },
): Account {
  return {
    username: row.username,
    passwordHash: row.password_hash,
    createdAt: toDate(row.created_at),
    lastLoginAt: row.last_login_at === null ? null : toDate(row.last_login_at),
    disabled: row.disabled !== 0,
    // PostgreSQL hands max() of an integer over as a number, SQLite too;
    // null when there are no revocations yet.
    revision: Number(row.revision ?? 0),
  };
}

function toRevocation(row: Selectable<RevocationsTable>): Revocation {
  return {
    id: Number(row.id),
    username: row.username,
    reason: row.reason as RevocationReason,
    at: toDate(row.at),
  };
}

function toRoom(row: Selectable<RoomsTable>): RoomRecord {
  return {
    name: row.name,
    passwordHash: row.password_hash,
    isPrivate: row.is_private !== 0,
    maxMembers: row.max_members,
    createdAt: toDate(row.created_at),
  };
}
