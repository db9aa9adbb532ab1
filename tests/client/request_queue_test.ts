/** RequestQueue pairs answers with requests in order, without sockets. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { RequestQueue } from "../../client/request_queue.ts";
import {
  LoginRefusedError,
  NotLoggedInError,
  RefusedError,
} from "../../client/mod.ts";

Deno.test("request queue: login resolves on 0:id, is refused on 0:-1 and 9:0", async () => {
  const q = new RequestQueue();
  const ok = q.track({ kind: "login", username: "ada" });
  const refused = assert.rejects(
    q.track({ kind: "login", username: "bob" }),
    (e) => e instanceof LoginRefusedError && e.code === "login-refused",
  );
  const invalid = assert.rejects(
    q.track({ kind: "login", username: "cy" }),
    (e) => e instanceof RefusedError && e.code === "invalid-name",
  );
  assertEquals(q.loginPending, true);
  q.offer({ kind: "left", id: 1 }, null); // not an answer to a login
  q.offer({ kind: "welcome", id: 7 }, null);
  q.offer({ kind: "logged-out" }, 7);
  q.offer(
    { kind: "error", command: "0", code: "invalid-name", text: "x" },
    null,
  );
  assertEquals(await ok, 7);
  await refused;
  await invalid;
  assertEquals(q.length, 0);
});

Deno.test("request queue: a join collects its members and ends on the master after its own line", async () => {
  const q = new RequestQueue();
  const join = q.track({ kind: "join", room: "lobby" });
  // lines about the old room, before the server handled the join
  q.offer({ kind: "joined", id: 4, room: "lobby" }, 3);
  q.offer({ kind: "master", id: 4 }, 3);
  q.offer({ kind: "left", id: 3 }, 3);
  q.offer({ kind: "message", from: 2, payload: new Uint8Array() }, 3);
  assertEquals(q.length, 1);
  q.offer({ kind: "joined", id: 3, room: "lobby" }, 3);
  q.offer({ kind: "joined", id: 1, room: "lobby" }, 3);
  q.offer({ kind: "joined", id: 4, room: "lobby" }, 3);
  q.offer({ kind: "master", id: 1 }, 3);
  assertEquals(await join, { room: "lobby", members: [1, 4, 3], master: 1 });
});

Deno.test("request queue: errors of other commands do not settle a request", async () => {
  const q = new RequestQueue();
  const list = q.track({ kind: "list-rooms" });
  const leave = assert.rejects(
    q.track({ kind: "leave" }),
    (e) => e instanceof RefusedError && e.command === "2",
  );
  q.offer({ kind: "error", command: "3", code: "not-in-room", text: "" }, 1);
  q.offer({ kind: "error", command: "2", code: "not-in-room", text: "" }, 1);
  assertEquals(q.length, 2, "a 9:2 while a list is open is not the list's");
  q.offer({ kind: "room-list", rooms: [{ name: "a", count: 1 }] }, 1);
  assertEquals(await list, [{ name: "a", count: 1 }]);
  q.offer({ kind: "error", command: "2", code: "not-in-room", text: "t" }, 1);
  await leave;
});

Deno.test("request queue: 0:-1 refuses a request as not logged in; one-reply lines consume it", async () => {
  const q = new RequestQueue();
  const raw = q.track({ kind: "one-reply", command: "3" });
  const rawBad = q.track({ kind: "one-reply", command: "?" });
  const join = assert.rejects(
    q.track({ kind: "join", room: "x" }),
    NotLoggedInError,
  );
  const login = q.track({ kind: "login", username: "ada" });
  q.offer({ kind: "logged-out" }, null);
  q.offer(
    { kind: "error", command: "?", code: "unknown-command", text: "" },
    null,
  );
  q.offer({ kind: "logged-out" }, null);
  q.offer({ kind: "welcome", id: 5 }, null);
  await raw;
  await rawBad;
  await join;
  assertEquals(await login, 5);
});

Deno.test("request queue: leave ends on our own 2:id: only; failAll rejects the rest", async () => {
  const q = new RequestQueue();
  const leave = q.track({ kind: "leave" });
  const list = assert.rejects(q.track({ kind: "list-rooms" }), /gone/);
  q.offer({ kind: "left", id: 8 }, 2);
  assertEquals(q.length, 2);
  q.offer({ kind: "left", id: 2 }, 2);
  await leave;
  q.failAll(new Error("gone"));
  await list;
  assertEquals(q.length, 0);
});
