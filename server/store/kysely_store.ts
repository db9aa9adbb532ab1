/**
 * The {@linkcode Store} on Kysely: the same queries for SQLite and
 * PostgreSQL. Every write is a single statement (inserts use
 * `ON CONFLICT DO NOTHING` and updates report the rows they touched), so
 * concurrent writers — the admin CLI, one or several servers — need no
 * application-level locking.
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
import type { Kysely, Selectable } from "kysely";
import type { AccountsTable, Database, RoomsTable } from "./schema.ts";
import type {
  Account,
  NewAccount,
  NewRoom,
  RoomRecord,
  Store,
} from "./store.ts";
import { StoreError } from "./store_error.ts";

/** A store over an open, migrated Kysely instance, which it owns. */
export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;
  #closing: Promise<void> | null = null;

  /** Wraps `db`; {@linkcode close} destroys it. */
  constructor(db: Kysely<Database>, readonly location: string) {
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
    const row = await this.#live().selectFrom("accounts").selectAll()
      .where("username", "=", username)
      .executeTakeFirst();
    return row === undefined ? null : toAccount(row);
  }

  async listAccounts(): Promise<Account[]> {
    const rows = await this.#live().selectFrom("accounts").selectAll()
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

  async setPasswordHash(username: string, passwordHash: string) {
    const result = await this.#live().updateTable("accounts")
      .set({ password_hash: passwordHash })
      .where("username", "=", username)
      .executeTakeFirst();
    expectOne(result.numUpdatedRows, `user ${username}`);
  }

  async setDisabled(username: string, disabled: boolean): Promise<void> {
    const result = await this.#live().updateTable("accounts")
      .set({ disabled: disabled ? 1 : 0 })
      .where("username", "=", username)
      .executeTakeFirst();
    expectOne(result.numUpdatedRows, `user ${username}`);
  }

  async removeAccount(username: string): Promise<void> {
    const result = await this.#live().deleteFrom("accounts")
      .where("username", "=", username)
      .executeTakeFirst();
    expectOne(result.numDeletedRows, `user ${username}`);
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

function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    username: row.username,
    passwordHash: row.password_hash,
    createdAt: toDate(row.created_at),
    lastLoginAt: row.last_login_at === null ? null : toDate(row.last_login_at),
    disabled: row.disabled !== 0,
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
