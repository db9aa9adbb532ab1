import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../helpers/assert.ts";
import {
  decodeUdpConnected,
  decodeUdpHello,
  encodeUdpConnected,
  encodeUdpHello,
  isUdpHello,
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
