/**
 * The store: accounts and declared rooms, behind one interface so that the
 * embedded SQLite file and a shared PostgreSQL server are interchangeable.
 *
 * Nothing here assumes one dialect: times are `Date`s, flags are booleans,
 * and every write is one statement, so several servers may share a store.
 *
 * @example
 * ```ts
 * import { openStore } from "./mod.ts";
 * await using store = await openStore(":memory:");
 * await store.addAccount({ username: "ada", passwordHash: "scrypt$…" });
 * console.assert((await store.findAccount("ada"))?.disabled === false);
 * ```
 * @module
 */

/** One account as stored. The hash is never shown to people. */
export interface Account {
  readonly username: string;
  /** `scrypt$N$r$p$salt$hash`, see server/accounts/password_hasher.ts. */
  readonly passwordHash: string;
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
  readonly disabled: boolean;
  /**
   * The id of the newest {@linkcode Revocation} when this row was read (0 if
   * none), read in the same statement: a session logged in with this row is
   * revoked by any later revocation of its user, never by an earlier one.
   */
  readonly revision: number;
}

/** Why an account change ends the user's live session. */
export type RevocationReason = "disabled" | "removed" | "password";

/**
 * An account change that ends its user's live sessions on every server:
 * written with the change itself (`disable`, `remove`, a new password),
 * in one transaction, with ids in commit order.
 */
export interface Revocation {
  /** Grows with every revocation; never reused. */
  readonly id: number;
  readonly username: string;
  readonly reason: RevocationReason;
  readonly at: Date;
}

/** What {@linkcode Store.addAccount} needs. */
export interface NewAccount {
  readonly username: string;
  readonly passwordHash: string;
  /** Now, when not given. */
  readonly createdAt?: Date;
}

/** A room an administrator declared: it exists even when empty. */
export interface RoomRecord {
  readonly name: string;
  /** Hash of the room's password, or null for a room anyone may join. */
  readonly passwordHash: string | null;
  /** Hidden from `1:` unless its password is given. */
  readonly isPrivate: boolean;
  /** Most members at once, or null for no limit beyond the server's. */
  readonly maxMembers: number | null;
  readonly createdAt: Date;
}

/** What {@linkcode Store.addRoom} needs. */
export interface NewRoom {
  readonly name: string;
  readonly passwordHash: string | null;
  readonly isPrivate: boolean;
  readonly maxMembers: number | null;
  /** Now, when not given. */
  readonly createdAt?: Date;
}

/**
 * Accounts and declared rooms. Methods that name a row that must (not)
 * exist reject with a {@linkcode StoreError} whose code is `duplicate` or
 * `not-found`; a store that cannot be reached rejects with `unavailable`.
 */
export interface Store extends AsyncDisposable {
  /** Where the data lives, for messages (a URL never shows its password). */
  readonly location: string;

  /** Adds an account; `duplicate` if the username is taken. */
  addAccount(account: NewAccount): Promise<void>;
  /** The account called `username`, or null. */
  findAccount(username: string): Promise<Account | null>;
  /** Every account, by username. */
  listAccounts(): Promise<Account[]>;
  /** How many accounts there are. */
  countAccounts(): Promise<number>;
  /**
   * Replaces the password hash and records a revocation (`password`);
   * `not-found` if there is no such account.
   */
  setPasswordHash(username: string, passwordHash: string): Promise<void>;
  /**
   * Disables (recording a revocation, `disabled`) or enables an account;
   * `not-found` if there is none.
   */
  setDisabled(username: string, disabled: boolean): Promise<void>;
  /**
   * Removes an account and records a revocation (`removed`); `not-found`
   * if there is none.
   */
  removeAccount(username: string): Promise<void>;
  /** The id of the newest revocation; 0 when there is none. */
  latestRevision(): Promise<number>;
  /** Revocations with an id above `after`, oldest first, at most `limit`. */
  revocationsSince(after: number, limit: number): Promise<Revocation[]>;
  /** Notes a successful login (nothing happens if the account is gone). */
  recordLogin(username: string, at: Date): Promise<void>;

  /** Declares a room; `duplicate` if one of that name is declared. */
  addRoom(room: NewRoom): Promise<void>;
  /** Every declared room, oldest first. */
  listRooms(): Promise<RoomRecord[]>;
  /** Removes a declared room; `not-found` if there is none. */
  removeRoom(name: string): Promise<void>;
  /**
   * Replaces a declared room's password hash (never null: a private room
   * needs one); `not-found` if there is no such room.
   */
  setRoomPasswordHash(name: string, passwordHash: string): Promise<void>;

  /**
   * Reads from the database (not from a cache): resolves when it answers,
   * rejects when it cannot be reached. For readiness checks.
   */
  ping(): Promise<void>;

  /** Closes the store; later calls reject. Closing twice is harmless. */
  close(): Promise<void>;
}
