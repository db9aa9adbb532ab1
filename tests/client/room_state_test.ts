/** RoomState follows the session and room from the server's lines alone. */
import { assertEquals } from "../helpers/assert.ts";
import { RoomState } from "../../client/mod.ts";

Deno.test("room state: a join sequence gives members in join order and the master", () => {
  const s = new RoomState();
  s.apply({ kind: "welcome", id: 3 });
  for (
    const msg of [
      { kind: "joined", id: 3, room: "lobby" },
      { kind: "joined", id: 1, room: "lobby" },
      { kind: "joined", id: 2, room: "lobby" },
    ] as const
  ) s.apply(msg);
  assertEquals(s.joining, true);
  s.apply({ kind: "master", id: 1 });
  assertEquals([s.room, s.members, s.master, s.joining], [
    "lobby",
    [1, 2, 3],
    1,
    false,
  ]);
  s.apply({ kind: "joined", id: 9, room: "lobby" });
  assertEquals(s.members, [1, 2, 3, 9], "later joiners come last");
});

Deno.test("room state: leaves, master changes, our own leave and a new login", () => {
  const s = new RoomState();
  s.apply({ kind: "welcome", id: 2 });
  s.apply({ kind: "joined", id: 2, room: "r" });
  s.apply({ kind: "joined", id: 1, room: "r" });
  s.apply({ kind: "master", id: 1 });
  s.apply({ kind: "left", id: 1 });
  s.apply({ kind: "master", id: 2 });
  assertEquals([s.members, s.master], [[2], 2]);
  s.apply({ kind: "left", id: 2 });
  assertEquals([s.room, s.members, s.master, s.sessionId], [null, [], null, 2]);
  s.apply({ kind: "master", id: 5 });
  assertEquals(s.master, null, "a stray 4: outside a room changes nothing");
  s.apply({ kind: "joined", id: 2, room: "r" });
  s.apply({ kind: "welcome", id: 7 });
  assertEquals([s.sessionId, s.room], [7, null], "a new session is in no room");
  s.apply({ kind: "logged-out" });
  assertEquals([s.sessionId, s.room], [null, null]);
});

Deno.test("room state: lines for other rooms and repeated joins are ignored", () => {
  const s = new RoomState();
  s.apply({ kind: "welcome", id: 1 });
  s.apply({ kind: "joined", id: 1, room: "a" });
  s.apply({ kind: "master", id: 1 });
  s.apply({ kind: "joined", id: 4, room: "b" });
  s.apply({ kind: "joined", id: 5, room: "a" });
  s.apply({ kind: "joined", id: 5, room: "a" });
  assertEquals(s.members, [1, 5]);
  s.apply({ kind: "message", from: 5, payload: new Uint8Array() });
  s.apply({ kind: "error", command: "3", code: "x", text: "y" });
  s.apply({ kind: "room-list", rooms: [] });
  assertEquals([s.room, s.members, s.master], ["a", [1, 5], 1]);
});
