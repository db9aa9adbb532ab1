/**
 * Account administration (`switchboard users …`): the rules, on top of the
 * store. Names follow the protocol's rules (docs/protocol.md, "Lines and
 * fields"); a password must be one the protocol can carry, and not empty.
 *
 * @example
 * ```ts
 * import { AccountAdmin } from "./account_admin.ts";
 * import { PasswordHasher } from "./password_hasher.ts";
 * import { openStore } from "../store/mod.ts";
 * await using store = await openStore(":memory:");
 * const admin = new AccountAdmin(store, { hasher: new PasswordHasher({ params: { N: 1024, r: 8, p: 1 } }) });
 * await admin.add("ada", "a long secret");
 * console.assert((await admin.list())[0]?.username === "ada");
 * ```
 * @module
 */
import {
  checkName,
  checkPassword,
  DEFAULT_LIMITS,
} from "../../protocol/mod.ts";
import { AdminInputError } from "./admin_input_error.ts";
import { PasswordHasher } from "./password_hasher.ts";
import { type Store, StoreError } from "../store/mod.ts";

/** An account as shown to people: never its hash. */
export interface AccountSummary {
  readonly username: string;
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
  readonly disabled: boolean;
}

/** Options of {@linkcode AccountAdmin}. */
export interface AccountAdminOptions {
  /** Hashes new passwords; default parameters by default. */
  hasher?: PasswordHasher;
  /** Longest name and password; the protocol's limit by default. */
  maxNameBytes?: number;
}

/** Adds, changes, lists and removes accounts. */
export class AccountAdmin {
  readonly #store: Store;
  readonly #hasher: PasswordHasher;
  readonly #maxNameBytes: number;

  /** Works on `store`, which it does not own. */
  constructor(store: Store, options: AccountAdminOptions = {}) {
    this.#store = store;
    this.#hasher = options.hasher ?? new PasswordHasher();
    this.#maxNameBytes = options.maxNameBytes ?? DEFAULT_LIMITS.maxNameBytes;
  }

  /**
   * Checks a username against the name rules.
   *
   * @throws {AdminInputError} `invalid-name`.
   */
  checkUsername(username: string): void {
    const why = checkName(username, this.#maxNameBytes);
    if (why !== null) {
      throw new AdminInputError(
        "invalid-name",
        `username ${JSON.stringify(username)} ${why}`,
      );
    }
  }

  /**
   * Checks a new password.
   *
   * @throws {AdminInputError} `invalid-password`.
   */
  checkPassword(password: string): void {
    const why = password === ""
      ? "is empty"
      : checkPassword(password, this.#maxNameBytes);
    if (why !== null) {
      throw new AdminInputError("invalid-password", `the password ${why}`);
    }
  }

  /**
   * Checks, before a password is asked for, that `username` may be added.
   *
   * @throws {AdminInputError} for a bad name.
   * @throws {StoreError} `duplicate` when the username is taken.
   */
  async checkNew(username: string): Promise<void> {
    this.checkUsername(username);
    if (await this.#store.findAccount(username) !== null) {
      throw new StoreError("duplicate", `user ${username} already exists`);
    }
  }

  /**
   * Checks, before a password is asked for, that the account exists.
   *
   * @throws {StoreError} `not-found` when it does not.
   */
  async checkExists(username: string): Promise<void> {
    if (await this.#store.findAccount(username) === null) {
      throw new StoreError("not-found", `user ${username} does not exist`);
    }
  }

  /**
   * Adds an account.
   *
   * @throws {AdminInputError} for a bad name or password.
   * @throws {StoreError} `duplicate` when the username is taken.
   */
  async add(username: string, password: string): Promise<void> {
    this.checkUsername(username);
    this.checkPassword(password);
    const passwordHash = await this.#hasher.hash(password);
    await this.#store.addAccount({ username, passwordHash });
  }

  /**
   * Sets a new password. The user's live session ends (on every server
   * using the store, within a second): it must log in with the new one.
   *
   * @throws {StoreError} `not-found` when there is no such account.
   */
  async setPassword(username: string, password: string): Promise<void> {
    this.checkPassword(password);
    await this.#store.setPasswordHash(
      username,
      await this.#hasher.hash(password),
    );
  }

  /**
   * Removes an account; `not-found` if there is none. The user's live
   * session ends (on every server using the store, within a second).
   */
  remove(username: string): Promise<void> {
    return this.#store.removeAccount(username);
  }

  /**
   * Refuses the account's logins from now on; its live session ends (on
   * every server using the store, within a second).
   */
  disable(username: string): Promise<void> {
    return this.#store.setDisabled(username, true);
  }

  /** Accepts the account's logins again. */
  enable(username: string): Promise<void> {
    return this.#store.setDisabled(username, false);
  }

  /** Every account, by username, without hashes. */
  async list(): Promise<AccountSummary[]> {
    return (await this.#store.listAccounts()).map((a) => ({
      username: a.username,
      createdAt: a.createdAt,
      lastLoginAt: a.lastLoginAt,
      disabled: a.disabled,
    }));
  }
}
