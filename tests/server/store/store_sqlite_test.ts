/** The store contract on SQLite: a file in a temp dir, and `:memory:`. */
import { storeContract } from "./store_contract.ts";
import { openStore, StoreError } from "../../../server/store/mod.ts";
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { assertEquals } from "../../helpers/assert.ts";
import { openNodeSqlite } from "../../../server/store/node_sqlite_dialect.ts";

Deno.test("store contract: SQLite file", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-store-" });
  let n = 0;
  try {
    await storeContract(t, {
      fresh: () => Promise.resolve(`${dir}/db${++n}.sqlite`),
      shared: true,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("store contract: SQLite :memory:", async (t) => {
  await storeContract(t, {
    fresh: () => Promise.resolve(":memory:"),
    shared: false,
  });
});

Deno.test("store: a SQLite file is in WAL mode with the schema migrated once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-store-" });
  try {
    const path = `${dir}/s.db`;
    await (await openStore(path)).close();
    await (await openStore(path)).close(); // a second open migrates nothing
    const db = new DatabaseSync(path);
    assertEquals(db.prepare("PRAGMA journal_mode").get()?.journal_mode, "wal");
    const migrations = db.prepare("SELECT name FROM kysely_migration").all()
      .map((r) => r.name);
    assertEquals(migrations, ["0001_accounts_and_rooms", "0002_revocations"]);
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("store: a file that cannot be opened is a clear unavailable error", async () => {
  await assert.rejects(
    openStore("/nonexistent-dir/x/switchboard.db"),
    (e: unknown) => {
      assert.ok(e instanceof StoreError);
      assertEquals(e.code, "unavailable");
      assert.match(
        e.message,
        /cannot open database \/nonexistent-dir\/x\/switchboard\.db/,
      );
      return true;
    },
  );
});

Deno.test("store: SQLite fsyncs every commit by default; serve's 'normal' skips it", () => {
  for (
    const [option, expected] of [[undefined, 2], ["normal", 1], [
      "full",
      2,
    ]] as const
  ) {
    const db = openNodeSqlite(":memory:", { synchronous: option });
    const [row] = db.prepare("PRAGMA synchronous").all([]) as {
      synchronous: number;
    }[];
    assertEquals(row?.synchronous, expected);
    db.close();
  }
});

Deno.test("store: SQLite never reuses a revocation id, even once every row is deleted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-store-" });
  try {
    const path = `${dir}/s.db`;
    await using store = await openStore(path);
    await store.addAccount({ username: "ada", passwordHash: "h" });
    await store.setPasswordHash("ada", "h2");
    const first = await store.latestRevision();
    const db = new DatabaseSync(path);
    db.exec("DELETE FROM revocations");
    db.close();
    assertEquals(await store.latestRevision(), 0);
    await store.setPasswordHash("ada", "h3");
    assert.ok(await store.latestRevision() > first, "AUTOINCREMENT");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
