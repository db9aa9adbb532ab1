import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../helpers/assert.ts";
import {
  decodeUdpConnected,
  decodeUdpHello,
  encodeUdpConnected,
  encodeUdpHello,
  encodeUdpProof,
  isUdpHello,
  udpProofMessage,
} from "../../protocol/mod.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("udp handshake: both forms decode; anything else is null", () => {
  const table: [string, [number, string | null] | null][] = [
    ["0:7:0123456789abcdef0123456789abcdef", [
      7,
      "0123456789abcdef0123456789abcdef",
    ]],
    ["0:7", [7, null]],
    ["0:0:x:y", [0, "x:y"]],
    ["0:", null],
    ["0:7:", null],
    ["0:-1", null],
    ["0:x:secret", null],
    [`0:${"1".repeat(16)}:s`, null],
    ["1:7:s", null],
    ["", null],
  ];
  for (const [text, expected] of table) {
    const hello = decodeUdpHello(enc.encode(text));
    assertEquals(
      hello === null
        ? null
        : [hello.id, hello.secret === null ? null : dec.decode(hello.secret)],
      expected,
      text,
    );
  }
  assert.equal(isUdpHello(enc.encode("0:anything")), true);
  assert.equal(isUdpHello(enc.encode("3:0:x")), false);
});

Deno.test("udp handshake: encode then decode gives back id and secret", () => {
  const id = fc.integer({ min: 0, max: 1e15 - 1 });
  const secret = fc.option(fc.stringMatching(/^[0-9a-f]{32}$/), {
    nil: undefined,
  });
  fc.assert(
    fc.property(id, secret, (id, secret) => {
      const hello = decodeUdpHello(encodeUdpHello(id, secret))!;
      assertEquals(hello.id, id);
      assertEquals(
        hello.secret === null ? undefined : dec.decode(hello.secret),
        secret,
      );
      assertEquals(decodeUdpConnected(encodeUdpConnected(id)), id);
    }),
  );
});

Deno.test("udp handshake: only 0:<id>:connected is a reply", () => {
  assertEquals(decodeUdpConnected(enc.encode("0:12:connected")), 12);
  for (const text of ["0:12", "0:12:connecte", "0:12:connectedx", "3:1:x"]) {
    assertEquals(decodeUdpConnected(enc.encode(text)), null, text);
  }
});

Deno.test("udp handshake: a trailing :pack asks for packing; nothing else does", () => {
  const secret = "0123456789abcdef0123456789abcdef";
  const mac = "fedcba9876543210fedcba9876543210";
  const table: [string, [number, string | null, boolean] | null][] = [
    [`0:7:${secret}:pack`, [7, secret, true]],
    [`0:7:${secret}`, [7, secret, false]],
    [`0:7:42:${mac}:pack`, [7, `42:${mac}`, true]],
    [`0:7:42:${mac}`, [7, `42:${mac}`, false]],
    // The bare form has no flag: this is a (wrong) secret "pack".
    ["0:7:pack", [7, "pack", false]],
    // Nothing before the flag: malformed, like "0:7:".
    ["0:7::pack", null],
    // Anything but exactly ":pack" stays in the secret, which then fails.
    [`0:7:${secret}:PACK`, [7, `${secret}:PACK`, false]],
    [`0:7:${secret}:pack:`, [7, `${secret}:pack:`, false]],
    [`0:7:${secret}:packs`, [7, `${secret}:packs`, false]],
    [`0:7:${secret}pack`, [7, `${secret}pack`, false]],
    [`0:7:${secret}:pack:pack`, [7, `${secret}:pack`, true]],
  ];
  for (const [text, expected] of table) {
    const hello = decodeUdpHello(enc.encode(text));
    assertEquals(
      hello === null ? null : [
        hello.id,
        hello.secret === null ? null : dec.decode(hello.secret),
        hello.pack,
      ],
      expected,
      text,
    );
  }
  assertEquals(
    dec.decode(encodeUdpHello(7, secret, true)),
    `0:7:${secret}:pack`,
  );
  assertEquals(
    dec.decode(encodeUdpProof(7, 42, mac, true)),
    `0:7:42:${mac}:pack`,
  );
  assertEquals(udpProofMessage(7, 42), "7:42");
  assertEquals(udpProofMessage(7, 42, true), "7:42:pack", "the MAC covers it");
  assertEquals(
    decodeUdpConnected(enc.encode("0:7:connected:pack")),
    null,
    "never a reply",
  );
});
