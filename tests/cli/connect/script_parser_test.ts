/** Script steps and variables. */
import { assertEquals } from "../../helpers/assert.ts";
import {
  MAX_WAIT_MS,
  parseScriptLine,
  substitute,
} from "../../../cli/connect/script_parser.ts";

Deno.test("script parser: each step", () => {
  assertEquals(parseScriptLine("  # a comment"), { kind: "nothing" });
  assertEquals(parseScriptLine(""), { kind: "nothing" });
  assertEquals(parseScriptLine("3:0:hi # not a comment"), {
    kind: "send",
    line: "3:0:hi # not a comment",
  });
  assertEquals(parseScriptLine("send expect this"), {
    kind: "send",
    line: "expect this",
  });
  assertEquals(parseScriptLine("login ada"), {
    kind: "login",
    username: "ada",
    password: "",
  });
  assertEquals(parseScriptLine("login ada pw"), {
    kind: "login",
    username: "ada",
    password: "pw",
  });
  assertEquals(parseScriptLine("join den key"), {
    kind: "join",
    room: "den",
    password: "key",
  });
  const expect = parseScriptLine("expect ^3:\\d+:a b$ within 250");
  assertEquals(
    expect.kind === "expect" && [expect.pattern.source, expect.within],
    ["^3:\\d+:a b$", 250],
  );
  const plain = parseScriptLine("expect ^4:");
  assertEquals(plain.kind === "expect" && plain.within, undefined);
  const none = parseScriptLine("expect-none ^9: for 100");
  assertEquals(
    none.kind === "expect-none" && [none.pattern.source, none.forMs],
    ["^9:", 100],
  );
});

Deno.test("script parser: mistakes are reported, not sent", () => {
  const message = (line: string) => {
    const step = parseScriptLine(line);
    return step.kind === "invalid" ? step.message : `parsed as ${step.kind}`;
  };
  assertEquals(message("expect"), "a regular expression is missing");
  assertEquals(message("expect ([").startsWith("bad regular expression"), true);
  assertEquals(message("expect-none ^9:"), "usage: expect-none REGEX for MS");
  assertEquals(
    message(`expect x within ${MAX_WAIT_MS + 1}`),
    `${MAX_WAIT_MS + 1} ms is more than ${MAX_WAIT_MS}`,
  );
  assertEquals(message("login"), "usage: login NAME [PASSWORD]");
  assertEquals(message("join a b c"), "usage: join ROOM [PASSWORD]");
});

Deno.test("script parser: ${name} is replaced by captured values; unknown names are errors", () => {
  const vars = new Map([["me", "7"], ["room", "lobby"]]);
  assertEquals(substitute("3:4:${me}:hi ${room}", vars), "3:4:7:hi lobby");
  assertEquals(substitute("no vars: $me {me}", vars), "no vars: $me {me}");
  assertEquals(substitute("3:4:${you}:x", vars), {
    error: "${you} is not set (no expect captured it)",
  });
});
