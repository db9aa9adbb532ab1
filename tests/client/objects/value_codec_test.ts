/** Field values as wire tokens: round trips, the token alphabet, bad tokens. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../../helpers/assert.ts";
import { FieldType, WireFormatError } from "../../../client/mod.ts";
import {
  decodeValue,
  encodeValue,
} from "../../../client/objects/value_codec.ts";
import { typedValue } from "./arbitraries.ts";

Deno.test("value codec: every value of every type round-trips exactly", () => {
  fc.assert(
    fc.property(typedValue, ([type, value]) => {
      assertEquals(decodeValue(type, encodeValue(type, value)), value);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("value codec: a token is never empty and holds no space, colon or line break", () => {
  fc.assert(
    fc.property(typedValue, ([type, value]) => {
      assert.match(encodeValue(type, value), /^[^ :\r\n]+$/u);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("value codec: the documented examples", () => {
  const cases: [FieldType, unknown, string][] = [
    ["n", 1.5, "1.5"],
    ["n", -0, "-0"],
    ["n", 0.1 + 0.2, "0.30000000000000004"],
    ["n", 1e21, "1e+21"],
    ["n", NaN, "NaN"],
    ["n", -Infinity, "-Infinity"],
    ["s", "", "~"],
    ["s", "~", "%7E"],
    ["s", "ada lovelace", "ada%20lovelace"],
    ["s", "a:b%c", "a%3Ab%25c"],
    ["s", "tab\there", "tab%09here"],
    ["s", "Grüße ✓", "Grüße%20✓"],
    ["b", true, "1"],
    ["b", false, "0"],
    ["x", new Uint8Array([]), "~"],
    ["x", new Uint8Array([0xfb, 0xff, 0x01]), "-_8B"],
    ["x", new Uint8Array([1, 2]), "AQI"],
    ["v", [], "~"],
    ["v", [0, 1.5, -2], "0,1.5,-2"],
  ];
  for (const [type, value, token] of cases) {
    assertEquals(encodeValue(type, value as never), token, `${type} ${value}`);
    assertEquals(decodeValue(type, token), value as never, token);
  }
});

Deno.test("value codec: decoders accept other writers' spellings", () => {
  assertEquals(decodeValue("n", "1E+21"), 1e21);
  assertEquals(decodeValue("n", "2.50"), 2.5);
  assertEquals(decodeValue("n", "1e5"), 1e5, "the exponent's sign is optional");
  assertEquals(decodeValue("n", "1.5E-07"), 1.5e-7, "C#'s R format");
  assertEquals(decodeValue("s", "%c3%a9"), "é");
  assertEquals(decodeValue("x", "AQI="), new Uint8Array([1, 2]));
});

Deno.test("value codec: bad tokens are WireFormatErrors", () => {
  const bad: [FieldType, string][] = [
    ["n", ""],
    ["n", "1.2.3"],
    ["n", "0x10"],
    ["n", "+1"],
    ["n", "1e"],
    ["n", "inf"],
    ["n", ".5"],
    ["n", "1."],
    ["n", "00012"],
    ["n", "1e400"],
    ["s", "a b"],
    ["s", "a:b"],
    ["s", "%"],
    ["s", "%zz"],
    ["s", "%C3"],
    ["s", "%FF"],
    ["b", "2"],
    ["b", "true"],
    ["x", "a"],
    ["x", "a+b/"],
    ["x", "ab=c"],
    ["v", "1,,2"],
    ["v", "1,2,"],
    ["v", Array(17).fill("0").join(",")],
  ];
  for (const [type, token] of bad) {
    assert.throws(
      () => decodeValue(type, token),
      WireFormatError,
      `${type} ${JSON.stringify(token)}`,
    );
  }
});
