/** Rooms without sockets: join/leave sequences and master succession. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  isRefusal,
  LocalRooms,
  type Room,
} from "../../../server/rooms/rooms.ts";

const dec = new TextDecoder();

function peer(id: number) {
  const got: string[] = [];
  return {
    id,
    got,
    send: (frame: Uint8Array) => got.push(dec.decode(frame).trimEnd()),
  };
}

function joined(
  rooms: LocalRooms,
  p: ReturnType<typeof peer>,
  name: string,
  pw = "",
): Room {
  const room = rooms.join(p, name, pw);
  if (isRefusal(room)) throw new Error(room.text);
  return room;
}

Deno.test("rooms: join order, member list, master is the oldest", () => {
  const rooms = new LocalRooms({ maxRooms: 10 });
  const [a, b, c] = [peer(1), peer(2), peer(3)];
  joined(rooms, a, "r");
  joined(rooms, b, "r");
  const room = joined(rooms, c, "r");
  assertEquals(a.got, ["2:1:r", "4:1", "2:2:r", "2:3:r"]);
  assertEquals(b.got, ["2:2:r", "2:1:r", "4:1", "2:3:r"]);
  assertEquals(c.got, ["2:3:r", "2:1:r", "2:2:r", "4:1"]);
  assertEquals(room.master?.id, 1);
});

Deno.test("rooms: master leaves, the longest present takes over; empty rooms vanish", () => {
  const rooms = new LocalRooms({ maxRooms: 10 });
  const [a, b, c] = [peer(1), peer(2), peer(3)];
  const room = joined(rooms, a, "r");
  joined(rooms, b, "r");
  joined(rooms, c, "r");
  for (const p of [a, b, c]) p.got.length = 0;
  rooms.leave(a, room);
  assertEquals(a.got, ["2:1:"]);
  assertEquals(b.got, ["2:1:", "4:2"]);
  assertEquals(c.got, ["2:1:", "4:2"]);
  rooms.leave(c, room);
  assertEquals(
    b.got,
    ["2:1:", "4:2", "2:3:"],
    "a non-master leaving changes no master",
  );
  rooms.leave(b, room);
  assertEquals(rooms.size, 0);
  assertEquals(rooms.list(""), []);
});

Deno.test("rooms: private rooms are hidden and need their password", () => {
  const rooms = new LocalRooms({ maxRooms: 10 });
  joined(rooms, peer(1), "open");
  joined(rooms, peer(2), "secret", "pw");
  assertEquals(rooms.list(""), [{ name: "open", count: 1 }]);
  assertEquals(rooms.list("nope"), [{ name: "open", count: 1 }]);
  assertEquals(rooms.list("pw"), [{ name: "open", count: 1 }, {
    name: "secret",
    count: 1,
  }]);
  const refused = rooms.join(peer(3), "secret", "wrong");
  assert.ok(isRefusal(refused));
  assertEquals(refused.code, "wrong-password");
  joined(rooms, peer(4), "secret", "pw");
  joined(rooms, peer(5), "open", "ignored");
  assertEquals(rooms.list(""), [{ name: "open", count: 2 }]);
});

Deno.test("rooms: the room limit refuses new rooms but not joins", () => {
  const rooms = new LocalRooms({ maxRooms: 1 });
  joined(rooms, peer(1), "a");
  const refused = rooms.join(peer(2), "b", "");
  assert.ok(isRefusal(refused));
  assertEquals(refused.code, "too-many-rooms");
  joined(rooms, peer(3), "a");
});
