/**
 * The contract every {@linkcode Store} keeps, as test steps. Each step
 * opens a fresh, empty store from `fresh()`; `reopen(target)` opens another
 * handle on the same data when the store is shared (files and servers, not
 * `:memory:`).
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  openStore,
  type Store,
  StoreError,
} from "../../../server/store/mod.ts";

/** How a leg makes stores. */
export interface StoreLeg {
  /** A target (path or URL) holding an empty database. */
  fresh(): Promise<string>;
  /** Whether two stores opened on one target see the same data. */
  shared: boolean;
}

async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
  text: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof StoreError, `a StoreError, got ${error}`);
    assertEquals(error.code, code);
    assert.match(error.message, text);
    return true;
  });
}

/** Runs the contract as steps of `t`. */
export async function storeContract(
  t: Deno.TestContext,
  leg: StoreLeg,
): Promise<void> {
  const step = (
    name: string,
    fn: (store: Store, target: string) => Promise<void>,
  ) =>
    t.step(name, async () => {
      const target = await leg.fresh();
      await using store = await openStore(target);
      await fn(store, target);
    });

  await step("a new store is empty", async (store) => {
    assertEquals(await store.countAccounts(), 0);
    assertEquals(await store.listAccounts(), []);
    assertEquals(await store.listRooms(), []);
    assertEquals(await store.findAccount("ada"), null);
  });

  await step("an account reads back as written", async (store) => {
    const createdAt = new Date("2024-05-06T07:08:09.123Z");
    await store.addAccount({ username: "ada", passwordHash: "h1", createdAt });
    assertEquals(await store.findAccount("ada"), {
      username: "ada",
      passwordHash: "h1",
      createdAt,
      lastLoginAt: null,
      disabled: false,
      revision: 0,
    });
    assertEquals(await store.countAccounts(), 1);
  });

  await step(
    "a duplicate account is refused and changes nothing",
    async (store) => {
      await store.addAccount({ username: "ada", passwordHash: "h1" });
      await rejectsWith(
        store.addAccount({ username: "ada", passwordHash: "h2" }),
        "duplicate",
        /user ada already exists/,
      );
      assertEquals((await store.findAccount("ada"))?.passwordHash, "h1");
      assertEquals(await store.countAccounts(), 1);
    },
  );

  await step("names are exact: case, quotes, non-ASCII", async (store) => {
    const names = [
      "ada",
      "Ada",
      "o'brien",
      "zoë",
      "名前",
      "a; drop table accounts",
      'x"y',
    ];
    for (const username of names) {
      await store.addAccount({ username, passwordHash: `h-${username}` });
    }
    for (const username of names) {
      assertEquals(
        (await store.findAccount(username))?.passwordHash,
        `h-${username}`,
      );
    }
    assertEquals(await store.countAccounts(), names.length);
    assertEquals(await store.findAccount("ADA"), null);
  });

  await step(
    "password, disabled flag and last login change; unknown users are not-found",
    async (store) => {
      await store.addAccount({ username: "ada", passwordHash: "h1" });
      await store.addAccount({ username: "bob", passwordHash: "b1" });
      await store.setPasswordHash("ada", "h2");
      await store.setDisabled("ada", true);
      const at = new Date("2025-01-02T03:04:05.678Z");
      await store.recordLogin("ada", at);
      const ada = await store.findAccount("ada");
      assertEquals([ada?.passwordHash, ada?.disabled, ada?.lastLoginAt], [
        "h2",
        true,
        at,
      ]);
      await store.setDisabled("ada", false);
      assertEquals((await store.findAccount("ada"))?.disabled, false);
      const bob = await store.findAccount("bob");
      assertEquals([bob?.passwordHash, bob?.disabled, bob?.lastLoginAt], [
        "b1",
        false,
        null,
      ]);
      await rejectsWith(
        store.setPasswordHash("cy", "x"),
        "not-found",
        /user cy does not exist/,
      );
      await rejectsWith(store.setDisabled("cy", true), "not-found", /user cy/);
      await rejectsWith(store.removeAccount("cy"), "not-found", /user cy/);
      await store.recordLogin("cy", at); // a login racing a removal is not an error
      assertEquals(await store.findAccount("cy"), null);
    },
  );

  await step(
    "remove takes one account away; list is by username",
    async (store) => {
      for (const username of ["cy", "ada", "bob"]) {
        await store.addAccount({ username, passwordHash: "h" });
      }
      await store.removeAccount("bob");
      assertEquals((await store.listAccounts()).map((a) => a.username), [
        "ada",
        "cy",
      ]);
      await store.addAccount({ username: "bob", passwordHash: "again" });
      assertEquals((await store.findAccount("bob"))?.passwordHash, "again");
    },
  );

  await step(
    "concurrent adds: every distinct one lands, one of each duplicate",
    async (store) => {
      const distinct = Array.from({ length: 40 }, (_, i) => `user${i}`);
      await Promise.all(
        distinct.map((username) =>
          store.addAccount({ username, passwordHash: "h" })
        ),
      );
      const dupes = await Promise.allSettled(
        Array.from(
          { length: 10 },
          (_, i) =>
            store.addAccount({ username: "same", passwordHash: `h${i}` }),
        ),
      );
      assertEquals(
        dupes.filter((r) => r.status === "fulfilled").length,
        1,
      );
      for (const r of dupes) {
        if (r.status === "rejected") {
          assertEquals(
            (r.reason as StoreError).code,
            "duplicate",
          );
        }
      }
      assertEquals(await store.countAccounts(), 41);
    },
  );

  await step(
    "declared rooms read back, oldest first; duplicates and unknowns refused",
    async (store) => {
      await store.addRoom({
        name: "den",
        passwordHash: "scrypt$x",
        isPrivate: true,
        maxMembers: 4,
        createdAt: new Date("2024-01-01T00:00:02Z"),
      });
      await store.addRoom({
        name: "lobby",
        passwordHash: null,
        isPrivate: false,
        maxMembers: null,
        createdAt: new Date("2024-01-01T00:00:01Z"),
      });
      assertEquals(await store.listRooms(), [
        {
          name: "lobby",
          passwordHash: null,
          isPrivate: false,
          maxMembers: null,
          createdAt: new Date("2024-01-01T00:00:01Z"),
        },
        {
          name: "den",
          passwordHash: "scrypt$x",
          isPrivate: true,
          maxMembers: 4,
          createdAt: new Date("2024-01-01T00:00:02Z"),
        },
      ]);
      await rejectsWith(
        store.addRoom({
          name: "den",
          passwordHash: null,
          isPrivate: false,
          maxMembers: null,
        }),
        "duplicate",
        /room den already exists/,
      );
      await store.removeRoom("den");
      assertEquals((await store.listRooms()).map((r) => r.name), ["lobby"]);
      await rejectsWith(
        store.removeRoom("den"),
        "not-found",
        /room den does not exist/,
      );
    },
  );

  await step(
    "disable, remove and a new password each record a revocation, in order; enable and unknown users record none",
    async (store) => {
      assertEquals(await store.latestRevision(), 0);
      for (const username of ["ada", "bob", "cy"]) {
        await store.addAccount({ username, passwordHash: "h" });
      }
      assertEquals(await store.revocationsSince(0, 10), []);
      const before = Date.now();
      await store.setDisabled("ada", true);
      await store.setDisabled("ada", false);
      await store.setPasswordHash("bob", "h2");
      await store.removeAccount("cy");
      await rejectsWith(
        store.setDisabled("nobody", true),
        "not-found",
        /nobody/,
      );
      await rejectsWith(store.removeAccount("cy"), "not-found", /user cy/);
      const all = await store.revocationsSince(0, 10);
      assertEquals(
        all.map((r) => [r.username, r.reason]),
        [["ada", "disabled"], ["bob", "password"], ["cy", "removed"]],
      );
      for (let i = 1; i < all.length; i++) {
        assert.ok(all[i]!.id > all[i - 1]!.id, "ids grow");
      }
      assert.ok(all.every((r) => r.at.getTime() >= before - 1000));
      assertEquals(await store.latestRevision(), all[2]!.id);
      assertEquals(
        (await store.revocationsSince(all[0]!.id, 1)).map((r) => r.username),
        ["bob"],
        "after an id, at most limit",
      );
      assertEquals(await store.revocationsSince(all[2]!.id, 10), []);
      // An account read carries the newest revocation id of the same moment.
      assertEquals((await store.findAccount("bob"))?.revision, all[2]!.id);
      await store.setDisabled("bob", true);
      assert.ok((await store.findAccount("bob"))!.revision > all[2]!.id);
    },
  );

  await step(
    "a declared room's password hash can be replaced",
    async (store) => {
      await store.addRoom({
        name: "den",
        passwordHash: "old",
        isPrivate: true,
        maxMembers: null,
      });
      await store.setRoomPasswordHash("den", "new");
      assertEquals((await store.listRooms())[0]?.passwordHash, "new");
      await rejectsWith(
        store.setRoomPasswordHash("vault", "x"),
        "not-found",
        /room vault does not exist/,
      );
    },
  );

  await step(
    "closing twice is harmless; a closed store refuses work",
    async (store) => {
      await store.ping();
      await store.close();
      await store.close();
      await rejectsWith(store.countAccounts(), "unavailable", /closed/);
      await rejectsWith(store.ping(), "unavailable", /closed/);
    },
  );

  if (leg.shared) {
    await step(
      "reopening keeps every write; another handle sees them at once",
      async (store, target) => {
        await store.addAccount({ username: "ada", passwordHash: "h" });
        await store.addRoom({
          name: "lobby",
          passwordHash: null,
          isPrivate: false,
          maxMembers: 2,
        });
        {
          await using other = await openStore(target);
          assertEquals((await other.findAccount("ada"))?.passwordHash, "h");
          await other.addAccount({ username: "bob", passwordHash: "b" });
          assertEquals((await other.listRooms()).map((r) => r.maxMembers), [2]);
        }
        assertEquals((await store.listAccounts()).map((a) => a.username), [
          "ada",
          "bob",
        ]);
        await store.close();
        await using again = await openStore(target);
        assertEquals(await again.countAccounts(), 2);
      },
    );
  }
}
