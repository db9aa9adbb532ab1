/** parseSlash: every command, its usage errors, and raw lines. */
import { assertEquals } from "../../helpers/assert.ts";
import {
  COMMANDS,
  helpText,
  parseSlash,
} from "../../../cli/connect/slash_command.ts";

Deno.test("slash: commands parse to typed commands; text keeps its spaces and colons", () => {
  const cases: [string, unknown][] = [
    ["/login ada", { kind: "login", username: "ada" }],
    ["/rooms", { kind: "rooms", password: "" }],
    ["/rooms key", { kind: "rooms", password: "key" }],
    ["/join lobby", { kind: "join", room: "lobby", password: "" }],
    ["/join den key", { kind: "join", room: "den", password: "key" }],
    ["/leave", { kind: "leave" }],
    ["/say hello  there: you", { kind: "say", text: "hello  there: you" }],
    ["/all hi", { kind: "all", text: "hi" }],
    ["/to 7,9 see you", { kind: "to", ids: [7, 9], text: "see you" }],
    ["/to 7 ", { kind: "to", ids: [7], text: "" }],
    ["/group team 3,4", { kind: "group", name: "team", ids: [3, 4] }],
    ["/group team 3 4", { kind: "group", name: "team", ids: [3, 4] }],
    ["/group team", { kind: "group", name: "team", ids: [] }],
    ["/g team go go", { kind: "g", name: "team", text: "go go" }],
    ["/udp on", { kind: "udp", on: true }],
    ["/udp off", { kind: "udp", on: false }],
    ["/who", { kind: "who" }],
    ["/help", { kind: "help" }],
    ["/quit", { kind: "quit" }],
    ["/reconnect", { kind: "reconnect" }],
    ["//not a command", { kind: "raw", line: "/not a command" }],
  ];
  for (const [line, parsed] of cases) {
    assertEquals(parseSlash(line), parsed, line);
  }
});

Deno.test("slash: lines without a slash are raw; mistakes get a usage message", () => {
  for (const line of ["3:0:hi", "", " /say x", "hello"]) {
    assertEquals(parseSlash(line), null, line);
  }
  const usage = (line: string) => {
    const cmd = parseSlash(line);
    return cmd?.kind === "usage"
      ? cmd.message
      : `not usage: ${JSON.stringify(cmd)}`;
  };
  assertEquals(usage("/login"), "usage: /login NAME");
  assertEquals(usage("/login a b"), "usage: /login NAME");
  assertEquals(usage("/join"), "usage: /join ROOM [PASSWORD]");
  assertEquals(usage("/say"), "usage: /say TEXT");
  assertEquals(usage("/to x hello"), "usage: /to ID[,ID…] TEXT");
  assertEquals(usage("/group"), "usage: /group NAME [ID,ID…]");
  assertEquals(usage("/group t a,b"), "usage: /group NAME [ID,ID…]");
  assertEquals(usage("/udp maybe"), "usage: /udp on|off");
  assertEquals(usage("/leave now"), "usage: /leave");
  assertEquals(
    usage("/nope"),
    "unknown command /nope; /help lists the commands",
  );
});

Deno.test("slash: /help lists every command", () => {
  const help = helpText();
  for (const c of COMMANDS) {
    assertEquals(help.includes(`/${c.name}`), true, c.name);
  }
});
