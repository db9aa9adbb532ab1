/** Scene messages as payload text: round trips, the format's promises, bad input. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../../helpers/assert.ts";
import {
  decodeSceneMessage,
  encodeSceneMessage,
  type SceneMessage,
  WireFormatError,
} from "../../../client/mod.ts";
import { describeFields } from "../../../client/objects/object_description.ts";
import { checkUsersPayload } from "../../../client/validate.ts";
import { sceneMessage } from "./arbitraries.ts";

Deno.test("scene codec: every message round-trips", () => {
  fc.assert(
    fc.property(sceneMessage, (msg) => {
      assertEquals(decodeSceneMessage(encodeSceneMessage(msg)), msg);
    }),
    { numRuns: 1000 },
  );
});

Deno.test("scene codec: a payload has no colon or line break, and can follow 3:4:<ids>:", () => {
  fc.assert(
    fc.property(sceneMessage, (msg) => {
      const text = encodeSceneMessage(msg);
      assert.match(text, /^[HSERIUOD]( [^ :\r\n]+)*$/u);
      checkUsersPayload(new TextEncoder().encode(text));
    }),
    { numRuns: 1000 },
  );
});

Deno.test("scene codec: the documented examples", () => {
  const ball = {
    id: "7-1",
    type: "avatar",
    boundToOwner: true,
    fields: describeFields({ pos: [0, 1.5, 0], name: "ada" }),
  };
  const cases: [SceneMessage, string][] = [
    [{ kind: "hello", tag: 0 }, "H 0"],
    [{ kind: "end", tag: 0, participants: [3, 7] }, "E 0 3,7"],
    [{ kind: "end", tag: 2, participants: null }, "E 2 -"],
    [{ kind: "ready" }, "R"],
    [
      { kind: "instantiate", object: ball },
      "I 7-1 avatar 1 2 pos/v=0,1.5,0 name/s=ada",
    ],
    [
      {
        kind: "snapshot",
        tag: 0,
        objects: [{ owner: 7, seq: 12, object: ball }],
      },
      "S 0 7 12 7-1 avatar 1 2 pos/v=0,1.5,0 name/s=ada",
    ],
    [
      {
        kind: "update",
        seq: 13,
        entries: [
          { id: "7-1", mask: 1, values: ["1,1.5,0"] },
          { id: "-1-2", mask: 5, values: ["1", "0.25"] },
        ],
      },
      "U 13 7-1 1 1,1.5,0 -1-2 5 1 0.25",
    ],
    [{ kind: "claim", id: "-1-2", expected: 3, seq: 40 }, "O -1-2 3 40"],
    [{ kind: "destroy", id: "7-1" }, "D 7-1"],
  ];
  for (const [msg, text] of cases) {
    assertEquals(encodeSceneMessage(msg), text);
    assertEquals(decodeSceneMessage(text), msg);
  }
});

Deno.test("scene codec: other payloads are foreign (null), never errors", () => {
  for (
    const text of [
      "",
      "hello",
      "Hi there",
      "H0",
      "Uh",
      "#settle 1",
      "3:1:x",
      "h 0",
      "Ü",
    ]
  ) {
    assertEquals(decodeSceneMessage(text), null, JSON.stringify(text));
  }
});

Deno.test("scene codec: malformed scene messages are WireFormatErrors", () => {
  const bad = [
    "H",
    "H x",
    "H 0 1",
    "H  0",
    "H 0 ",
    "R 1",
    "E 0",
    "E 0 1,,2",
    "E 0 a",
    "S 0",
    "S 0 7 1 7-1 t 0 2 a/n=1",
    "S 0 7 1 7-1 t 0 1 a/n=1 b/n=2",
    "I 7-1 t 0 1 a/q=1",
    "I 7-1 t 0 1 a=1",
    "I 7-1 t 0 2 a/n=1 a/n=2",
    "I 7-1 t z 0",
    "I 7 t 0 0",
    "I 7-0 t 0 0",
    "I 07-1 t 0 0",
    "I 7-1 9t 0 0",
    "I 7-1 t 0 33",
    "U 1",
    "U 1 7-1 0",
    "U 1 7-1 3 1",
    "U 1 7-1 100000000 1",
    "U x 7-1 1 1",
    "O 7-1 3",
    "O 7-1 -1 3",
    "D",
    "D 7-1 7-2",
    "D -2-1",
    "U 99999999999999999 7-1 1 1",
  ];
  for (const text of bad) {
    assert.throws(
      () => decodeSceneMessage(text),
      WireFormatError,
      JSON.stringify(text),
    );
  }
});

Deno.test("scene codec: arbitrary text decodes or fails with a WireFormatError, nothing else", () => {
  const alphabet = fc.constantFrom(
    ..."HSERIUOD 0123456789-,/=~%:abvnsxz".split(""),
  );
  fc.assert(
    fc.property(fc.string({ unit: alphabet, maxLength: 40 }), (text) => {
      try {
        decodeSceneMessage(text);
      } catch (error) {
        assert.ok(error instanceof WireFormatError, String(error));
      }
    }),
    { numRuns: 5000 },
  );
});
