/**
 * A relay server on port 0 with a real store (SQLite `:memory:` unless told
 * otherwise) and `--auth accounts`, for one test. Hashes use cheap scrypt
 * parameters so tests stay quick; the code paths are the production ones.
 */
import {
  AccountAdmin,
  AccountsAuthenticator,
  type AccountsAuthenticatorOptions,
  openStore,
  PasswordHasher,
  RoomAdmin,
  type RoomSpec,
  type Store,
} from "../../server/mod.ts";
import type { RelayServerOptions } from "../../server/mod.ts";
import { startServer, type TestServer } from "./server.ts";

/** scrypt parameters for tests: 1 MiB, about a millisecond. */
export const CHEAP_SCRYPT = { N: 1024, r: 8, p: 1 } as const;

/** A test server with its store and admin helpers. */
export interface AccountsTestServer extends TestServer {
  readonly store: Store;
  readonly hasher: PasswordHasher;
  readonly accounts: AccountAdmin;
  readonly rooms: RoomAdmin;
}

/** Options: accounts and rooms to create first, and server options. */
export interface AccountsServerOptions {
  accounts?: Record<string, string>;
  rooms?: RoomSpec[];
  db?: string;
  hasher?: PasswordHasher;
  auth?: Omit<AccountsAuthenticatorOptions, "store" | "hasher">;
  server?: RelayServerOptions;
}

/** Starts a server whose logins are checked against a fresh store. */
export async function startAccountsServer(
  options: AccountsServerOptions = {},
): Promise<AccountsTestServer> {
  const store = await openStore(options.db ?? ":memory:");
  const hasher = options.hasher ??
    new PasswordHasher({ params: CHEAP_SCRYPT });
  const accounts = new AccountAdmin(store, { hasher });
  const rooms = new RoomAdmin(store, { hasher });
  for (const [name, password] of Object.entries(options.accounts ?? {})) {
    await accounts.add(name, password);
  }
  for (const room of options.rooms ?? []) await rooms.add(room);
  const t = await startServer({
    store,
    hasher,
    auth: new AccountsAuthenticator({ store, hasher, ...options.auth }),
    ...options.server,
  });
  return {
    ...t,
    store,
    hasher,
    accounts,
    rooms,
    async [Symbol.asyncDispose]() {
      await t[Symbol.asyncDispose]();
      await store.close();
    },
  };
}
