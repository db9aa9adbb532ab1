/** Output formatting: columns, time stamps, colours, masked logins. */
import { assertEquals } from "../../helpers/assert.ts";
import {
  formatIncoming,
  formatNotice,
  formatSent,
  wantsColor,
} from "../../../cli/connect/format.ts";
import { toJson } from "../../../cli/connect/json.ts";
import { decodeIncoming } from "../../../client/mod.ts";

const plain = { color: false, timestamps: false };
const at = new Date(2026, 0, 2, 3, 4, 5, 6);

Deno.test("format: incoming lines are raw then explained; sent logins hide the password", () => {
  assertEquals(
    formatIncoming("4:1", "you are the master", "master", plain, at),
    "< 4:1            you are the master",
  );
  assertEquals(formatSent("0:ada:secret", plain, at), "> 0:ada:***");
  assertEquals(formatSent("0:ada", plain, at), "> 0:ada");
  assertEquals(formatSent("3:0:0:ada:x", plain, at), "> 3:0:0:ada:x");
  assertEquals(
    formatSent("0:ada:secret", { ...plain, showSecrets: true }, at),
    "> 0:ada:secret",
  );
  const secret = "5f0c2a9e41d87b3306c1f2e9a4b7d810";
  assertEquals(
    formatIncoming(`0:1:${secret}`, "logged in", "welcome", plain, at),
    "< 0:1:***        logged in",
  );
  assertEquals(
    formatIncoming(`0:1:${secret}`, "x", "welcome", {
      ...plain,
      showSecrets: true,
    }, at),
    `< 0:1:${secret} x`,
  );
  assertEquals(formatNotice("connected", "info", plain, at), "* connected");
});

Deno.test("format: time stamps and colours on request", () => {
  const stamped = formatIncoming("4:1", "x", "master", {
    color: false,
    timestamps: true,
  }, at);
  assertEquals(stamped, "03:04:05.006 < 4:1            x");
  const colored = formatIncoming("9:2:x:y", "refused", "error", {
    color: true,
    timestamps: false,
  }, at);
  assertEquals(
    colored,
    "\x1b[36m<\x1b[0m 9:2:x:y        \x1b[31mrefused\x1b[0m",
  );
});

Deno.test("format: colours only on a terminal without NO_COLOR", () => {
  assertEquals(wantsColor(true, undefined), true);
  assertEquals(wantsColor(true, ""), true);
  assertEquals(wantsColor(true, "1"), false);
  assertEquals(wantsColor(false, undefined), false);
});

Deno.test("json: one object per line, payloads as text and exact base64", () => {
  const json = (line: Uint8Array) => toJson(decodeIncoming(line), new Date(0));
  const enc = (s: string) => new TextEncoder().encode(s);
  assertEquals(json(enc("2:7:lobby")), {
    time: "1970-01-01T00:00:00.000Z",
    raw: "2:7:lobby",
    kind: "joined",
    id: 7,
    room: "lobby",
  });
  const binary = json(Uint8Array.from([...enc("3:7:"), 0xff, 0x3a]));
  assertEquals([binary.payload, binary.payloadBase64], [null, "/zo="]);
  assertEquals(json(enc("1:a-1")).rooms, [{ name: "a", count: 1 }]);
  assertEquals(json(enc("7:new")).kind, "unknown");
  const secret = "5f0c2a9e41d87b3306c1f2e9a4b7d810";
  const welcome = enc(`0:3:${secret}`);
  assertEquals(json(welcome), {
    time: "1970-01-01T00:00:00.000Z",
    raw: "0:3:***",
    kind: "welcome",
    id: 3,
    udpSecret: "***",
  });
  const shown = toJson(decodeIncoming(welcome), new Date(0), true);
  assertEquals([shown.raw, shown.udpSecret], [`0:3:${secret}`, secret]);
});
