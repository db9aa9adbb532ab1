/** readLines: lines across chunks, CRLF, a last line without newline, the cap. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { readLines } from "../../../cli/connect/read_lines.ts";
import { LineTooLongError } from "../../../protocol/mod.ts";

const stream = (...chunks: string[]) =>
  ReadableStream.from(chunks.map((c) => new TextEncoder().encode(c)));

Deno.test("read lines: split across chunks, CRLF, and a last line without newline", async () => {
  assertEquals(
    await Array.fromAsync(
      readLines(stream("lo", "gin a\r\nexp", "ect ^0:\n\nlast")),
    ),
    [
      "login a",
      "expect ^0:",
      "",
      "last",
    ],
  );
  assertEquals(await Array.fromAsync(readLines(stream("a\n"))), ["a"]);
});

Deno.test("read lines: a line over the cap is an error", async () => {
  await assert.rejects(
    Array.fromAsync(readLines(stream("x".repeat(100) + "\n"), 10)),
    LineTooLongError,
  );
});

Deno.test("read lines: a BOM starting the file is dropped, one starting a later line is kept", async () => {
  assertEquals(
    await Array.fromAsync(readLines(stream("\ufefflogin a\n\ufeff2:lobby\n"))),
    ["login a", "\ufeff2:lobby"],
  );
});
