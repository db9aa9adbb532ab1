/** Declared rooms over real sockets, with a real store behind them. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { startAccountsServer } from "../../helpers/accounts_server.ts";
import { runCli } from "../../helpers/cli.ts";

const pw = { ada: "pw", bob: "pw", cy: "pw", di: "pw" };

Deno.test("declared rooms: listed with count 0 before anyone comes, and after everyone leaves", async () => {
  await using t = await startAccountsServer({
    accounts: pw,
    // Added in the same millisecond, rooms list by name.
    rooms: [{ name: "arena", maxMembers: 8 }, { name: "lobby" }],
  });
  const ada = await t.user("ada");
  await ada.send("1:");
  assertEquals(await ada.next(), "1:arena-0,lobby-0");
  await ada.send("2:arena");
  assertEquals(await ada.take(2), [`2:${ada.id}:arena`, `4:${ada.id}`]);
  await ada.send("1:");
  assertEquals(await ada.next(), "1:arena-1,lobby-0");
  await ada.send("2:-1");
  assertEquals(await ada.next(), `2:${ada.id}:`);
  await ada.send("1:");
  assertEquals(await ada.next(), "1:arena-0,lobby-0", "it survives emptiness");
  assertEquals(t.server.roomCount, 2);
});

Deno.test("declared rooms: a room with a password needs it; a refusal keeps the client where it was", async () => {
  await using t = await startAccountsServer({
    accounts: pw,
    rooms: [{ name: "den", password: "door" }],
  });
  const ada = await t.member("ada", "lobby");
  await ada.send("1:");
  assertEquals(await ada.next(), "1:den-0,lobby-1", "public: listed");
  await ada.send("2:den", "2:den:wrong");
  assertEquals(await ada.take(2), [
    "9:2:wrong-password:room den needs its password",
    "9:2:wrong-password:room den needs its password",
  ]);
  await ada.send("3:1:still here");
  assertEquals(await ada.next(), `3:${ada.id}:still here`);
  await ada.send("2:den:door");
  assertEquals(await ada.take(3), [
    `2:${ada.id}:`,
    `2:${ada.id}:den`,
    `4:${ada.id}`,
  ]);
  const bob = await t.user("bob");
  await bob.send("2:den:door");
  assertEquals(await bob.take(3), [
    `2:${bob.id}:den`,
    `2:${ada.id}:den`,
    `4:${ada.id}`,
  ]);
});

Deno.test("declared rooms: a private room is listed only with its password, and joined with it", async () => {
  await using t = await startAccountsServer({
    accounts: pw,
    rooms: [
      { name: "lobby" },
      { name: "den", password: "door", isPrivate: true },
      { name: "attic", password: "ladder", isPrivate: true },
    ],
  });
  const ada = await t.user("ada");
  await ada.send("1:", "1:wrong", "1:door", "1:ladder");
  assertEquals(await ada.take(4), [
    "1:lobby-0",
    "1:lobby-0",
    "1:lobby-0,den-0",
    "1:lobby-0,attic-0",
  ]);
  await ada.send("2:attic:door", "2:attic:ladder");
  assertEquals(await ada.take(3), [
    "9:2:wrong-password:room attic needs its password",
    `2:${ada.id}:attic`,
    `4:${ada.id}`,
  ]);
  await ada.send("1:ladder");
  assertEquals(await ada.next(), "1:lobby-0,attic-1");
});

Deno.test("declared rooms: a full room refuses with room-full until someone leaves", async () => {
  await using t = await startAccountsServer({
    accounts: pw,
    rooms: [{ name: "duel", maxMembers: 2 }],
  });
  const ada = await t.member("ada", "duel");
  await t.member("bob", "duel");
  const cy = await t.member("cy", "lobby");
  await cy.send("2:duel");
  assertEquals(await cy.next(), "9:2:room-full:room duel is full (2 members)");
  await cy.send("3:1:still in lobby");
  assertEquals(await cy.next(), `3:${cy.id}:still in lobby`);
  await ada.send("2:-1");
  await ada.next();
  await cy.send("2:duel");
  assertEquals(await cy.next(), `2:${cy.id}:`, "leaves lobby");
  assertEquals(await cy.next(), `2:${cy.id}:duel`);
});

Deno.test("declared rooms: many joining a slow-password room at once get exactly its places", async () => {
  await using t = await startAccountsServer({
    accounts: pw,
    rooms: [{ name: "den", password: "door", maxMembers: 2 }],
  });
  const clients = await Promise.all(
    ["ada", "bob", "cy", "di"].map((n) => t.user(n)),
  );
  await Promise.all(clients.map((c) => c.send("2:den:door")));
  const first = await Promise.all(clients.map((c) => c.next()));
  const joined = first.filter((l) => /^2:\d+:den$/.test(l));
  const full = first.filter((l) => l.startsWith("9:2:room-full:"));
  assertEquals([joined.length, full.length], [2, 2], first.join(" | "));
});

Deno.test("declared rooms: ad-hoc rooms work beside them; a first joiner's password keeps one private", async () => {
  await using t = await startAccountsServer({
    accounts: pw,
    rooms: [{ name: "lobby" }],
  });
  const ada = await t.user("ada");
  await ada.send("2:secret:hush");
  await ada.take(2);
  const bob = await t.user("bob");
  await bob.send("1:", "1:hush", "2:secret", "2:secret:hush");
  assertEquals(await bob.take(4), [
    "1:lobby-0",
    "1:lobby-0,secret-1",
    "9:2:wrong-password:room secret needs its password",
    `2:${bob.id}:secret`,
  ]);
  await bob.take(2);
  for (const c of [ada, bob]) {
    await c.send("2:-1");
    await c.sync();
  }
  await bob.send("1:hush");
  assertEquals(
    await bob.next(),
    "1:lobby-0",
    "the ad-hoc room is gone once empty",
  );
});

Deno.test("declared rooms: rooms added and removed by an administrator show up on the running server", async () => {
  await using t = await startAccountsServer({
    accounts: pw,
    server: { roomsRefreshMs: 0 },
  });
  const ada = await t.user("ada");
  await ada.send("1:");
  assertEquals(await ada.next(), "1:");
  await t.rooms.add({ name: "arena", maxMembers: 1 });
  await t.rooms.add({ name: "lobby" });
  await ada.send("1:");
  assertEquals(await ada.next(), "1:arena-0,lobby-0");
  await ada.send("2:arena");
  await ada.take(2);
  // Removed while in use: it stays (with its limit) until it empties.
  await t.rooms.remove("arena");
  await t.rooms.remove("lobby");
  await ada.send("1:");
  assertEquals(await ada.next(), "1:arena-1");
  const bob = await t.user("bob");
  await bob.send("2:arena");
  assertEquals(
    await bob.next(),
    "9:2:room-full:room arena is full (1 member)",
  );
  await ada.send("2:-1");
  await ada.next();
  await ada.send("1:");
  assertEquals(await ada.next(), "1:");
});

Deno.test("declared rooms: they are there for the first client, with the default refresh", async () => {
  await using t = await startAccountsServer({
    accounts: pw,
    rooms: [{ name: "lobby" }],
  });
  assertEquals(t.server.roomCount, 1, "loaded before the server listens");
  const ada = await t.user("ada");
  await ada.send("1:");
  assertEquals(await ada.next(), "1:lobby-0");
});

Deno.test("declared rooms: closing the server leaves the store to its owner", async () => {
  await using t = await startAccountsServer({
    accounts: pw,
    rooms: [{ name: "lobby" }],
  });
  await t.server.close();
  assertEquals((await t.store.listRooms()).map((r) => r.name), ["lobby"]);
  assertEquals(await t.store.countAccounts(), 4);
});

Deno.test("declared rooms: re-passworded with rooms passwd, members stay and new joins need the new password; removed, members stay", async () => {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-rooms-" });
  try {
    const db = `${dir}/switchboard.db`;
    await using t = await startAccountsServer({
      db,
      accounts: pw,
      rooms: [{ name: "den", password: "old door", isPrivate: true }],
      // Re-read on every list and join (the default is at most 1 s stale).
      server: { roomsRefreshMs: 0 },
    });
    const ada = await t.member("ada", "den:old door");
    const passwd = await runCli([
      "rooms",
      "passwd",
      "den",
      "--password-stdin",
      "--db",
      db,
    ], { stdin: "new door\n" });
    assertEquals(
      [passwd.code, passwd.stdout.trim()],
      [0, "changed the password of room den"],
      passwd.stderr,
    );
    const bob = await t.user("bob");
    await bob.send("2:den:old door");
    assertEquals(
      await bob.next(),
      "9:2:wrong-password:room den needs its password",
    );
    await bob.send("1:old door", "1:new door");
    assertEquals(await bob.take(2), ["1:", "1:den-1"]);
    await bob.send("2:den:new door");
    assertEquals(await bob.take(3), [
      `2:${bob.id}:den`,
      `2:${ada.id}:den`,
      `4:${ada.id}`,
    ]);
    assertEquals(await ada.next(), `2:${bob.id}:den`, "ada stayed");

    // Removed while occupied: it carries on with its (new) password.
    const removed = await runCli(["rooms", "remove", "den", "--db", db]);
    assertEquals(removed.code, 0, removed.stderr);
    const cy = await t.user("cy");
    await cy.send("2:den:old door", "2:den:new door");
    assertEquals(await cy.take(4), [
      "9:2:wrong-password:room den needs its password",
      `2:${cy.id}:den`,
      `2:${ada.id}:den`,
      `2:${bob.id}:den`,
    ]);
    assertEquals((await ada.take(1))[0], `2:${cy.id}:den`);
    const unknown = await runCli(
      ["rooms", "passwd", "den", "--password-stdin", "--db", db],
      { stdin: "x\n" },
    );
    assertEquals(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /^switchboard: error: room den does not exist\n {2}check the name/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
