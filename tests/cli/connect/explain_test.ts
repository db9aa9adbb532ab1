/** explain(): every server line in words, with and without context. */
import { assertEquals } from "../../helpers/assert.ts";
import { explain, Explainer } from "../../../cli/connect/explain.ts";
import { decodeIncoming } from "../../../client/mod.ts";

const out = { self: null, room: null, joining: false };
const inRoom = { self: 1, room: "lobby", joining: false };
const joining = { self: 1, room: "lobby", joining: true };
const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("explain: each kind of line", () => {
  const cases: [
    Parameters<typeof explain>[0],
    Parameters<typeof explain>[1],
    string,
  ][] = [
    [{ kind: "welcome", id: 7 }, out, "logged in as session 7"],
    [
      { kind: "welcome", id: 7, udpSecret: "9c1e" },
      out,
      "logged in as session 7 (with a UDP secret)",
    ],
    [
      { kind: "logged-out" },
      out,
      "not logged in (login refused, or log in first)",
    ],
    [
      { kind: "logged-out" },
      inRoom,
      "your session ended: not logged in any more",
    ],
    [{ kind: "room-list", rooms: [] }, inRoom, "no rooms"],
    [
      {
        kind: "room-list",
        rooms: [{ name: "lobby", count: 2 }, { name: "den", count: 0 }],
      },
      inRoom,
      "2 rooms: lobby (2), den (0)",
    ],
    [{ kind: "joined", id: 1, room: "lobby" }, inRoom, "you are in lobby"],
    [{ kind: "joined", id: 7, room: "lobby" }, inRoom, "user 7 joined lobby"],
    [{ kind: "joined", id: 7, room: "lobby" }, joining, "user 7 is in lobby"],
    [{ kind: "left", id: 7 }, inRoom, "user 7 left lobby"],
    [{ kind: "left", id: 1 }, inRoom, "you left lobby"],
    [{ kind: "master", id: 7 }, inRoom, "7 is now master"],
    [{ kind: "master", id: 1 }, inRoom, "you are now the master"],
    [{ kind: "master", id: 7 }, joining, "user 7 is the master"],
    [{ kind: "master", id: 1 }, joining, "you are the master"],
    [
      { kind: "message", from: 7, payload: bytes("hi: there") },
      inRoom,
      "from 7: hi: there",
    ],
    [
      { kind: "message", from: 1, payload: bytes("aGk=") },
      inRoom,
      'from 1 (you): aGk= (base64 of "hi")',
    ],
    [
      {
        kind: "error",
        command: "2",
        code: "wrong-password",
        text: "room den needs its password",
      },
      inRoom,
      "refused command 2 (wrong-password): room den needs its password",
    ],
    [
      { kind: "notice", scope: "server", text: "restart at 10:00" },
      inRoom,
      "server notice: restart at 10:00",
    ],
    [
      { kind: "notice", scope: "room", text: "closing in 1 minute" },
      inRoom,
      "notice to this room: closing in 1 minute",
    ],
    [
      { kind: "error", command: "0", code: "kicked", text: "be nice" },
      inRoom,
      "the server ended your session (kicked): be nice",
    ],
    [
      { kind: "unknown", reason: "unknown server line" },
      out,
      "not a line this client knows (unknown server line); ignored",
    ],
  ];
  for (const [msg, view, text] of cases) assertEquals(explain(msg, view), text);
});

Deno.test("explain: an Explainer follows the connection to pick the words", () => {
  const e = new Explainer();
  const lines = [
    "0:2",
    "2:2:lobby",
    "2:1:lobby",
    "4:1",
    "2:3:lobby",
    "2:1:",
    "4:2",
    "3:3:yo",
    "2:2:",
  ];
  assertEquals(lines.map((l) => e.explain(decodeIncoming(bytes(l)))), [
    "logged in as session 2",
    "you are in lobby",
    "user 1 is in lobby",
    "user 1 is the master",
    "user 3 joined lobby",
    "user 1 left lobby",
    "you are now the master",
    "from 3: yo",
    "you left lobby",
  ]);
});

Deno.test("explain: after a login elsewhere ends the session, its own leave is yours", () => {
  const e = new Explainer();
  const lines = [
    "0:2",
    "2:2:lobby",
    "4:2",
    "9:0:superseded:you logged in on another connection",
    "0:-1",
    "2:2:",
  ];
  assertEquals(lines.map((l) => e.explain(decodeIncoming(bytes(l)))), [
    "logged in as session 2",
    "you are in lobby",
    "you are the master",
    "the server ended your session (superseded): you logged in on another connection",
    "your session ended: not logged in any more",
    "you left lobby (your session ended)",
  ]);
});
