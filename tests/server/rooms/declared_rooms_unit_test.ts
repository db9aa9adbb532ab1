/** Declared rooms without sockets: the registry, the locks, the loader. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { CHEAP_SCRYPT } from "../../helpers/accounts_server.ts";
import { isRefusal, LocalRooms } from "../../../server/rooms/rooms.ts";
import {
  AdHocLock,
  HashedLock,
  OPEN_LOCK,
} from "../../../server/rooms/room_lock.ts";
import { DeclaredRooms } from "../../../server/rooms/declared_rooms.ts";
import {
  createLogger,
  openStore,
  PasswordHasher,
  RoomAdmin,
} from "../../../server/mod.ts";

const dec = new TextDecoder();
function peer(id: number) {
  const got: string[] = [];
  return {
    id,
    got,
    send: (f: Uint8Array) => got.push(dec.decode(f).trimEnd()),
  };
}

Deno.test("registry: declaring creates empty rooms that outlive their members", () => {
  const rooms = new LocalRooms({ maxRooms: 10 });
  rooms.declare([
    { name: "lobby", lock: OPEN_LOCK, maxMembers: null },
    { name: "duel", lock: OPEN_LOCK, maxMembers: 2 },
  ]);
  assertEquals(rooms.list(""), [{ name: "lobby", count: 0 }, {
    name: "duel",
    count: 0,
  }]);
  const a = peer(1);
  const room = rooms.join(a, "lobby", "");
  assert.ok(!isRefusal(room));
  rooms.leave(a, room);
  assertEquals(rooms.size, 2);
});

Deno.test("registry: a full room refuses; the limit counts members, not joins", () => {
  const rooms = new LocalRooms({ maxRooms: 10 });
  rooms.declare([{ name: "duel", lock: OPEN_LOCK, maxMembers: 2 }]);
  const [a, b, c] = [peer(1), peer(2), peer(3)];
  const room = rooms.join(a, "duel", "");
  assert.ok(!isRefusal(room));
  assert.ok(!isRefusal(rooms.join(b, "duel", "")));
  assertEquals(rooms.check("duel", ""), {
    code: "room-full",
    text: "room duel is full (2 members)",
  });
  assertEquals(rooms.join(c, "duel", ""), {
    code: "room-full",
    text: "room duel is full (2 members)",
  });
  rooms.leave(a, room);
  assert.ok(!isRefusal(rooms.join(c, "duel", "")));
});

Deno.test("registry: declared rooms always exist, and fill the room limit for ad-hoc ones", async () => {
  const rooms = new LocalRooms({ maxRooms: 2 });
  rooms.declare([
    { name: "a", lock: OPEN_LOCK, maxMembers: null },
    { name: "b", lock: OPEN_LOCK, maxMembers: null },
    { name: "c", lock: OPEN_LOCK, maxMembers: null },
  ]);
  assertEquals(rooms.size, 3, "declared rooms always exist");
  assertEquals((await rooms.check("new", ""))?.code, "too-many-rooms");
  assertEquals(rooms.check("a", ""), null);
});

Deno.test("registry: undeclaring keeps an occupied room until it empties; redeclaring adopts an ad-hoc one", async () => {
  const rooms = new LocalRooms({ maxRooms: 10 });
  rooms.declare([{ name: "arena", lock: OPEN_LOCK, maxMembers: 1 }]);
  const a = peer(1);
  const arena = rooms.join(a, "arena", "");
  assert.ok(!isRefusal(arena));
  rooms.declare([]);
  assertEquals(rooms.list(""), [{ name: "arena", count: 1 }]);
  assertEquals(
    (await rooms.check("arena", ""))?.code,
    "room-full",
    "keeps its limit",
  );
  rooms.leave(a, arena);
  assertEquals(rooms.size, 0);
  const adhoc = rooms.join(a, "den", "");
  assert.ok(!isRefusal(adhoc));
  rooms.declare([{ name: "den", lock: new AdHocLock("door"), maxMembers: 5 }]);
  assert.equal(rooms.get("den"), adhoc, "the same room, members kept");
  assertEquals(adhoc.maxMembers, 5);
  assertEquals((await rooms.check("den", ""))?.code, "wrong-password");
  rooms.leave(a, adhoc);
  assertEquals(rooms.list("door"), [{ name: "den", count: 0 }]);
});

Deno.test("lock: a hashed lock is slow once, then knows its password", async () => {
  const hasher = new PasswordHasher({ params: CHEAP_SCRYPT });
  let slow = 0;
  const lock = new HashedLock(await hasher.hash("door"), true, (p, h) => {
    slow++;
    return hasher.verify(p, h);
  });
  assertEquals(lock.opensNow("door"), null);
  const [x, y] = [lock.opens("door"), lock.opens("door")];
  assert.ok(x instanceof Promise);
  assertEquals(await Promise.all([x, y]), [true, true]);
  assertEquals(slow, 1, "concurrent checks of one password share one hash");
  assertEquals([
    lock.opens("door"),
    lock.opens("wrong"),
    lock.opensNow("wrong"),
  ], [true, false, false]);
  assertEquals(slow, 1, "after the first success every check is immediate");
});

Deno.test("lock: wrong passwords before the first success each cost a hash", async () => {
  const hasher = new PasswordHasher({ params: CHEAP_SCRYPT });
  const lock = new HashedLock(
    await hasher.hash("door"),
    false,
    (p, h) => hasher.verify(p, h),
  );
  assertEquals(await lock.opens("nope"), false);
  assertEquals(lock.opensNow("door"), null, "a failure teaches nothing");
});

Deno.test("registry: listing with a password waits for slow checks and keeps creation order", async () => {
  const hasher = new PasswordHasher({ params: CHEAP_SCRYPT });
  const verify = (p: string, h: string) => hasher.verify(p, h);
  const rooms = new LocalRooms({ maxRooms: 10 });
  rooms.declare([
    {
      name: "den",
      lock: new HashedLock(await hasher.hash("door"), true, verify),
      maxMembers: null,
    },
    { name: "hall", lock: OPEN_LOCK, maxMembers: null },
    {
      name: "attic",
      lock: new HashedLock(await hasher.hash("door"), true, verify),
      maxMembers: null,
    },
  ]);
  assertEquals(
    rooms.list(""),
    [{ name: "hall", count: 0 }],
    "no slow work without a password",
  );
  const listed = rooms.list("door");
  assert.ok(listed instanceof Promise);
  assertEquals(await listed, [
    { name: "den", count: 0 },
    { name: "hall", count: 0 },
    { name: "attic", count: 0 },
  ]);
  assertEquals(await rooms.list("other"), [{ name: "hall", count: 0 }]);
});

Deno.test("loader: re-reads only when stale, shares reads, keeps locks of unchanged rooms", async () => {
  await using store = await openStore(":memory:");
  const hasher = new PasswordHasher({ params: CHEAP_SCRYPT });
  const admin = new RoomAdmin(store, { hasher });
  await admin.add({ name: "den", password: "door", isPrivate: true });
  const rooms = new LocalRooms({ maxRooms: 10 });
  let clock = 0;
  const loader = new DeclaredRooms({
    store,
    rooms,
    hasher,
    refreshMs: 1000,
    now: () => clock,
  });
  assert.ok(loader.fresh() instanceof Promise, "never read yet");
  await loader.fresh();
  assertEquals(loader.fresh(), null, "fresh for a second");
  const lock = rooms.get("den")!.lock;
  await admin.add({ name: "hall" });
  assertEquals(rooms.list(""), [], "not seen before the refresh is due");
  clock = 1000;
  const a = loader.fresh();
  const b = loader.fresh();
  assert.ok(a instanceof Promise && b instanceof Promise);
  await Promise.all([a, b]);
  assertEquals(rooms.list(""), [{ name: "hall", count: 0 }]);
  assert.equal(rooms.get("den")!.lock, lock, "unchanged row, same lock");
});

Deno.test("loader: a failed read is logged and the rooms known so far stay", async () => {
  const store = await openStore(":memory:");
  await new RoomAdmin(store).add({ name: "hall" });
  const rooms = new LocalRooms({ maxRooms: 10 });
  const lines: string[] = [];
  let clock = 0;
  const loader = new DeclaredRooms({
    store,
    rooms,
    hasher: new PasswordHasher({ params: CHEAP_SCRYPT }),
    now: () => clock,
    logger: createLogger({ level: "error", write: (l) => lines.push(l) }),
  });
  await loader.load();
  await store.close();
  clock = 10_000;
  await loader.fresh();
  assertEquals(rooms.list(""), [{ name: "hall", count: 0 }]);
  assert.ok(
    lines.some((l) => l.includes("rooms.reload_failed")),
    lines.join("\n"),
  );
  assertEquals(loader.fresh(), null, "not retried before the refresh is due");
});
