/** Printable rendering and payload descriptions. */
import { assertEquals } from "../../helpers/assert.ts";
import {
  base64Text,
  describePayload,
  MAX_QUOTED_CHARS,
  printable,
} from "../../../cli/connect/printable.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("printable: control characters and invalid UTF-8 are escaped, text kept", () => {
  assertEquals(printable(bytes("héllo:wörld")), "héllo:wörld");
  assertEquals(printable(bytes("a\x1b[31mred\x07")), "a\\x1b[31mred\\x07");
  assertEquals(
    printable(Uint8Array.from([0x61, 0xff, 0x00, 0x62])),
    "a\\xff\\x00b",
  );
  assertEquals(printable(bytes("tab\there")), "tab\\x09here");
});

Deno.test("printable: base64 of printable text is decoded, other text is not", () => {
  assertEquals(base64Text("aGVsbG8gYWRh"), "hello ada");
  assertEquals(base64Text("aGVsbG8"), "hello", "unpadded");
  assertEquals(base64Text("eyJ4IjoxfQ=="), '{"x":1}');
  for (
    const word of [
      "test",
      "lobby",
      "hello",
      "ping",
      "1234",
      "abc",
      "AAAA",
      "/w==",
    ]
  ) {
    assertEquals(base64Text(word), null, word);
  }
});

Deno.test("printable: describePayload for text, base64 text, binary, empty and long", () => {
  assertEquals(describePayload(bytes("hello ada")), "hello ada");
  assertEquals(
    describePayload(bytes("aGVsbG8gYWRh")),
    'aGVsbG8gYWRh (base64 of "hello ada")',
  );
  assertEquals(
    describePayload(Uint8Array.from([0, 1, 2])),
    "3 bytes of binary data",
  );
  assertEquals(describePayload(new Uint8Array()), "(empty)");
  const long = describePayload(bytes("x".repeat(1000)));
  assertEquals(long, "x".repeat(MAX_QUOTED_CHARS) + "…");
});

Deno.test("printable: a BOM and other invisible characters are shown, never hidden", () => {
  assertEquals(printable(bytes("\ufeffada")), "\\u{feff}ada");
  assertEquals(printable(bytes("lob\u200bby")), "lob\\u{200b}by");
  assertEquals(printable(bytes("a\u202eb")), "a\\u{202e}b");
});
