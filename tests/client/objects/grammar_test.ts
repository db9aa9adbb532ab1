/**
 * The codec accepts exactly what the grammar of docs/network-objects.md
 * ("Grammar") allows: the rules are written again here, one regular
 * expression per ABNF rule, and arbitrary tokens (mostly near misses built
 * from each rule's own characters) are accepted by the decoder if and
 * only if the grammar matches them. Plus the edge cases a peer written
 * from the document asked about (issue 17).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../../helpers/assert.ts";
import { WireFormatError } from "../../../client/mod.ts";
import { decodeSceneMessage } from "../../../client/objects/scene_codec.ts";
import {
  decodeValue,
  encodeNumber,
} from "../../../client/objects/value_codec.ts";

// The ABNF of docs/network-objects.md, rule by rule.
const DIGIT = "[0-9]";
const DIGIT19 = "[1-9]";
const HEXDIG = "[0-9a-fA-F]";
const RULE = {
  number: `-?(?:0|${DIGIT19}${DIGIT}*)(?:\\.${DIGIT}+)?(?:[eE][+-]?${DIGIT}+)?`,
  sessionId: `(?:0|${DIGIT19}${DIGIT}{0,14})`,
  counter: `${DIGIT19}${DIGIT}{0,14}`,
  helloTag: `(?:0|${DIGIT19}${DIGIT}{0,8})`,
  seq: `(?:0|${DIGIT19}${DIGIT}{0,15})`,
  mask: `[1-9a-fA-F]${HEXDIG}{0,7}`,
  flags: `${HEXDIG}{1,8}`,
  count: `(?:0|${DIGIT19}${DIGIT}?)`,
} as const;
const OBJECT_ID = `(?:${RULE.sessionId}|-1)-${RULE.counter}`;
const TAG_LETTERS = ["H", "S", "E", "R", "I", "U", "O", "D"];

/** The whole token matches `rule`. */
function matches(rule: string, token: string): boolean {
  return new RegExp(`^(?:${rule})$`).test(token);
}

/** What the decoder made of `attempt`: accepted, or refused as malformed. */
function accepted(attempt: () => unknown): boolean {
  try {
    attempt();
    return true;
  } catch (error) {
    if (error instanceof WireFormatError) return false;
    throw error; // anything else is a bug
  }
}

/** Strings over `chars`: near misses of a rule, and sometimes hits. */
function over(chars: string, maxLength = 12) {
  return fc.string({ unit: fc.constantFrom(...chars), maxLength });
}

const RUNS = { numRuns: 3000 };

Deno.test("grammar: a number token is accepted iff it is JSON's number (sign of the exponent optional) and finite, or NaN/Infinity/-Infinity", () => {
  const special = new Set(["NaN", "Infinity", "-Infinity"]);
  fc.assert(
    fc.property(
      fc.oneof(
        over("0123456789.-+eE"),
        fc.stringMatching(new RegExp(`^${RULE.number}$`)),
        fc.constantFrom(
          "NaN",
          "Infinity",
          "-Infinity",
          "nan",
          "inf",
          "+Infinity",
        ),
      ),
      (token) => {
        const grammar = special.has(token) ||
          (matches(RULE.number, token) && Number.isFinite(Number(token)));
        assertEquals(
          accepted(() => decodeValue("n", token)),
          grammar,
          JSON.stringify(token),
        );
        if (grammar) {
          assert.ok(Object.is(decodeValue("n", token), Number(token)), token);
        }
      },
    ),
    RUNS,
  );
});

Deno.test("grammar: what the writer makes of any double is a number token that reads back the same", () => {
  fc.assert(
    fc.property(fc.double(), (x) => {
      const token = encodeNumber(x);
      assert.ok(
        ["NaN", "Infinity", "-Infinity"].includes(token) ||
          matches(RULE.number, token),
        token,
      );
      assert.ok(Object.is(decodeValue("n", token), x), token);
    }),
    RUNS,
  );
});

Deno.test("grammar: the edge cases asked about, as the document rules them", () => {
  const cases: [string, number | "refused"][] = [
    ["1e21", 1e21], // the exponent's sign is optional
    ["1e+21", 1e21],
    ["1E-7", 1e-7], // either case of e
    ["1.5E-07", 1.5e-7], // C#'s R format: leading zeros in the exponent
    ["-0", -0],
    ["0.50", 0.5], // trailing zeros in the fraction are fine
    ["1e-400", 0], // underflow: the nearest double
    ["-1e-400", -0],
    ["1e400", "refused"], // overflow: no double is meant
    ["-1e400", "refused"],
    ["1.7976931348623157e308", Number.MAX_VALUE],
    ["1.7976931348623159e308", "refused"], // rounds to Infinity
    [".5", "refused"],
    ["1.", "refused"],
    ["00012", "refused"],
    ["-01", "refused"],
    ["+1", "refused"],
    ["1e", "refused"],
    ["0x1f", "refused"],
    ["Infinity", Infinity],
    ["inf", "refused"],
  ];
  for (const [token, expected] of cases) {
    if (expected === "refused") {
      assert.throws(() => decodeValue("n", token), WireFormatError, token);
    } else {
      assert.ok(Object.is(decodeValue("n", token), expected), token);
    }
  }
  // flags and masks: hex in either case
  const upper = decodeSceneMessage("I 7-1 avatar 1F 1 x/n=0");
  assert.ok(upper?.kind === "instantiate" && upper.object.boundToOwner);
  const mask = decodeSceneMessage("U 1 7-1 A 1 2");
  assert.ok(mask?.kind === "update" && mask.entries[0]!.mask === 10);
  // tag letters: only the eight, uppercase; anything else is not a scene message
  assertEquals(decodeSceneMessage("h 0"), null);
  assertEquals(decodeSceneMessage("X 1 2"), null);
  assert.throws(() => decodeSceneMessage("H"), WireFormatError);
});

Deno.test("grammar: integer tokens (hello tag, session id, object id, seq, count) are accepted iff their rule matches and the number fits", () => {
  const digits = fc.oneof(
    over("0123456789", 18),
    over("0123456789-+x ", 6),
    fc.stringMatching(/^[1-9]\d{13,16}$/), // around the limits
  );
  fc.assert(
    fc.property(digits, (t) => {
      assertEquals(
        accepted(() => decodeSceneMessage(`H ${t}`)),
        matches(RULE.helloTag, t),
        `tag ${t}`,
      );
      assertEquals(
        accepted(() => decodeSceneMessage(`O 7-1 ${t} 0`)),
        matches(RULE.sessionId, t),
        `owner ${t}`,
      );
      assertEquals(
        accepted(() => decodeSceneMessage(`O 7-1 7 ${t}`)),
        matches(RULE.seq, t) && Number(t) <= Number.MAX_SAFE_INTEGER,
        `seq ${t}`,
      );
      const n = /^\d{1,2}$/.test(t) ? Number(t) : 0;
      const fields = Array.from({ length: n }, (_, i) => ` f${i}/b=1`).join("");
      assertEquals(
        accepted(() => decodeSceneMessage(`I 7-1 ball 0 ${t}${fields}`)),
        matches(RULE.count, t) && Number(t) <= 32,
        `count ${t}`,
      );
    }),
    RUNS,
  );
  assert.ok(accepted(() => decodeSceneMessage("O 7-1 7 9007199254740991")));
  assert.ok(!accepted(() => decodeSceneMessage("O 7-1 7 9007199254740992")));
});

Deno.test("grammar: object ids, masks and flags are accepted iff their rule matches", () => {
  fc.assert(
    fc.property(
      over("0123456789-", 8),
      over("0123456789abcdefABCDEFgG", 10),
      (id, hex) => {
        assertEquals(
          accepted(() => decodeSceneMessage(`D ${id}`)),
          matches(OBJECT_ID, id),
          `id ${id}`,
        );
        const bits = /^[0-9a-fA-F]{1,8}$/.test(hex)
          ? [...parseInt(hex, 16).toString(2)].filter((b) => b === "1").length
          : 0;
        const values = " 0".repeat(bits);
        assertEquals(
          accepted(() => decodeSceneMessage(`U 1 7-1 ${hex}${values}`)),
          matches(RULE.mask, hex),
          `mask ${hex}`,
        );
        assertEquals(
          accepted(() => decodeSceneMessage(`I 7-1 ball ${hex} 0`)),
          matches(RULE.flags, hex),
          `flags ${hex}`,
        );
      },
    ),
    RUNS,
  );
});

Deno.test("grammar: a payload is a scene message iff it is a tag letter alone or a tag letter and a space", () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.constantFrom(...TAG_LETTERS), fc.string({ maxLength: 1 })),
      fc.oneof(fc.constant(""), fc.string({ maxLength: 6 })),
      (head, tail) => {
        const text = head + tail;
        const scene = TAG_LETTERS.includes(text[0] ?? "") &&
          (text.length === 1 || text[1] === " ");
        let result: unknown;
        try {
          result = decodeSceneMessage(text);
        } catch (error) {
          assert.ok(error instanceof WireFormatError);
          assert.ok(scene, `${JSON.stringify(text)} is no scene message`);
          return;
        }
        assertEquals(result !== null, scene, JSON.stringify(text));
      },
    ),
    RUNS,
  );
});

/** The bytes of a string token, or null when the grammar refuses it. */
function stringBytes(token: string): Uint8Array | null {
  if (!matches("(?:[^\\x00-\\x20%:~\\x7f]|%[0-9a-fA-F]{2})+", token)) {
    return null;
  }
  const raw = new TextEncoder().encode(
    token.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) =>
      // a placeholder per escape, replaced by its byte below
      `\u0000${hex}`),
  );
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0) {
      out.push(parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16));
      i += 2;
    } else out.push(raw[i]!);
  }
  return Uint8Array.from(out);
}

Deno.test("grammar: a string token is accepted iff it is ~ or escaped as the grammar says and its bytes are UTF-8", () => {
  const strict = new TextDecoder("utf-8", { fatal: true });
  fc.assert(
    fc.property(over("aZ%4134eEfFc3a9:~ é\x7f\t", 9), (token) => {
      const bytes = token === "~" ? new Uint8Array() : stringBytes(token);
      let expected: string | null = null;
      if (bytes !== null) {
        try {
          expected = strict.decode(bytes);
        } catch {
          expected = null;
        }
      }
      assertEquals(
        accepted(() => decodeValue("s", token)),
        expected !== null,
        JSON.stringify(token),
      );
      if (expected !== null) assertEquals(decodeValue("s", token), expected);
    }),
    RUNS,
  );
});

Deno.test("grammar: a bytes token is accepted iff it is ~ or base64url, padded to a multiple of 4 or not padded", () => {
  fc.assert(
    fc.property(over("AQw-_=+/", 9), (token) => {
      const data = token.replace(/=+$/, "");
      const pad = token.length - data.length;
      const grammar = token === "~" ||
        (/^[A-Za-z0-9_-]+$/.test(data) && data.length % 4 !== 1 &&
          (pad === 0 || (token.length % 4 === 0 && pad <= 2)));
      assertEquals(
        accepted(() => decodeValue("x", token)),
        grammar,
        JSON.stringify(token),
      );
    }),
    RUNS,
  );
});

Deno.test("grammar: a vector token is accepted iff it is ~ or 1 to 16 number tokens joined by commas", () => {
  fc.assert(
    fc.property(over("01.,-e~", 14), (token) => {
      const parts = token.split(",");
      const grammar = token === "~" ||
        (parts.length <= 16 &&
          parts.every((p) =>
            matches(RULE.number, p) && Number.isFinite(Number(p))
          ));
      assertEquals(
        accepted(() => decodeValue("v", token)),
        grammar,
        JSON.stringify(token),
      );
    }),
    RUNS,
  );
});

Deno.test("grammar: every example of docs/network-objects.md's message table decodes as the message its row names", async () => {
  const doc = await Deno.readTextFile(
    new URL("../../../docs/network-objects.md", import.meta.url),
  );
  const table = doc.slice(
    doc.indexOf("## Every message by example"),
    doc.indexOf("## Tokens"),
  );
  // | `H` hello | `cy> 3:3:H 0` | `all< 3:9:H 0` (cy too) |
  const rows = [
    ...table.matchAll(
      /^\| `(\w)` [^|]*\| `\w+> 3:(?:4:\d+:|\d:)([^`]*)`[^|]*\| `\w+< 3:\d+:([^`]*)`/gm,
    ),
  ];
  assertEquals(rows.map((r) => r[1]).join(""), "HSEERIUOD");
  for (const [, letter, sent = "", read] of rows) {
    assert.ok(decodeSceneMessage(sent) !== null, sent);
    assertEquals([sent[0], read], [letter, sent], "read as it was sent");
  }
});
