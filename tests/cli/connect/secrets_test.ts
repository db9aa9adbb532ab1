/** What `connect` hides: passwords sent, script passwords, UDP secrets. */
import { assertEquals } from "../../helpers/assert.ts";
import {
  maskJson,
  maskReceived,
  maskScriptLine,
  maskSent,
} from "../../../cli/connect/secrets.ts";
import { shouldRemember } from "../../../cli/connect/history_file.ts";

Deno.test("secrets: passwords in sent lines are masked, other fields kept", () => {
  const cases: [string, string][] = [
    ["0:ada:s3cret", "0:ada:***"],
    ["0:ada:pa:ss", "0:ada:***"],
    ["0:ada", "0:ada"],
    ["0:ada:", "0:ada:"],
    ["1:door", "1:***"],
    ["1:", "1:"],
    ["1", "1"],
    ["2:den:door", "2:den:***"],
    ["2:den", "2:den"],
    ["2:-1", "2:-1"],
    ["3:0:0:ada:x", "3:0:0:ada:x"],
    ["3:4:1:2:hello", "3:4:1:2:hello"],
    ["5:team:1:2", "5:team:1:2"],
  ];
  for (const [line, shown] of cases) assertEquals(maskSent(line), shown, line);
});

Deno.test("secrets: the login reply's UDP secret is masked, nothing else", () => {
  const secret = "5f0c2a9e41d87b3306c1f2e9a4b7d810";
  assertEquals(maskReceived(`0:7:${secret}`), "0:7:***");
  assertEquals(maskReceived("0:7"), "0:7");
  assertEquals(maskReceived("0:-1"), "0:-1");
  assertEquals(maskReceived("0:7:connected"), "0:7:connected");
  assertEquals(maskReceived(`3:7:0:1:${secret}`), `3:7:0:1:${secret}`);
  assertEquals(
    maskJson({
      raw: `0:7:${secret}`,
      kind: "welcome",
      id: 7,
      udpSecret: secret,
    }),
    { raw: "0:7:***", kind: "welcome", id: 7, udpSecret: "***" },
  );
  assertEquals(maskJson({ raw: "0:7", kind: "welcome", id: 7 }), {
    raw: "0:7",
    kind: "welcome",
    id: 7,
  });
});

Deno.test("secrets: script lines hide the passwords of login, join, send and raw lines", () => {
  assertEquals(maskScriptLine("login ada s3cret"), "login ada ***");
  assertEquals(maskScriptLine("  join den door code"), "  join den ***");
  assertEquals(maskScriptLine("login ada"), "login ada");
  assertEquals(maskScriptLine("send 0:ada:pw"), "send 0:ada:***");
  assertEquals(maskScriptLine("2:den:door"), "2:den:***");
  assertEquals(maskScriptLine("expect ^0:"), "expect ^0:");
});

Deno.test("secrets: lines that carry a password never go to the history file", () => {
  for (
    const line of [
      "0:ada:pw",
      "1:door",
      "2:den:door",
      "/join den door",
      "/rooms door",
    ]
  ) {
    assertEquals(shouldRemember(line), false, line);
  }
  for (
    const line of [
      "/join den",
      "/rooms",
      "1:",
      "2:lobby",
      "/login ada",
      "3:0:x",
    ]
  ) {
    assertEquals(shouldRemember(line), true, line);
  }
});
