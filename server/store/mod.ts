/**
 * Accounts and declared rooms in a database: SQLite (embedded default) or
 * PostgreSQL (shared deployments), behind one {@linkcode Store} interface.
 *
 * @example
 * ```ts
 * import { openStore } from "./mod.ts";
 * await using store = await openStore(":memory:");
 * console.log(store.location, await store.countAccounts());
 * ```
 * @module
 */
export type {
  Account,
  NewAccount,
  NewRoom,
  Revocation,
  RevocationReason,
  RoomRecord,
  Store,
} from "./store.ts";
export { StoreError, StoreErrorCode } from "./store_error.ts";
export {
  DEFAULT_DB,
  DEFAULT_PG_POOL_SIZE,
  openStore,
  type OpenStoreOptions,
} from "./open_store.ts";
export {
  describeTarget,
  dialectOf,
  redactSecrets,
  SECRET_MASK,
  secretRedactor,
  secretsOf,
} from "./db_target.ts";
export { type DialectName, migrateToLatest } from "./migrations.ts";
