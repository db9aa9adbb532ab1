/** Log lines: logfmt quoting, JSON, and the standard-error writer. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { createLogger, type LogFields } from "../../server/mod.ts";

function logfmt(fields: LogFields): string {
  const lines: string[] = [];
  createLogger({ level: "info", write: (line) => lines.push(line) })
    .info("test.event", fields);
  assertEquals(lines.length, 1);
  return lines[0]!.replace(/^ts=\S+ /, "");
}

Deno.test("logger: logfmt leaves plain values bare and quotes the rest, so a value cannot forge a field", () => {
  assertEquals(
    logfmt({ conn: 7, ok: true, user: "ada", room: "café", gone: undefined }),
    "level=info event=test.event conn=7 ok=true user=ada room=café",
  );
  // Whitespace, quotes, `=`, nothing at all, control and non-ASCII spaces.
  const hostile: Record<string, string> = {
    a: "two words",
    b: 'say "hi"',
    c: "x=1",
    d: "",
    e: "bell\u0007",
    f: "line\nbreak event=forged",
    g: "nb\u00a0sp",
    h: "tab\there",
    i: "del\u007f",
  };
  const line = logfmt(hostile);
  for (const [key, value] of Object.entries(hostile)) {
    assert.ok(
      line.includes(` ${key}=${JSON.stringify(value)}`),
      `${key} quoted in: ${line}`,
    );
  }
  assert.ok(!line.includes("\n"), "one line whatever the values");
});

Deno.test("logger: below the level nothing is formatted or written; json keeps ts, level and event first", () => {
  const lines: string[] = [];
  const log = createLogger({
    level: "warn",
    format: "json",
    write: (line) => lines.push(line),
  });
  log.info("quiet", { a: 1 });
  log.warn("loud", { event: "forged", level: "debug", a: "x y" });
  assertEquals(lines.length, 1);
  const parsed = JSON.parse(lines[0]!);
  assertEquals(Object.keys(parsed), ["ts", "level", "event", "a"]);
  assertEquals([parsed.level, parsed.event, parsed.a], ["warn", "loud", "x y"]);
});

Deno.test("logger: the default writer puts whole lines on standard error, long and multibyte ones too", async () => {
  const long = "é".repeat(3000) + "€𝄞";
  const program = `
    import { createLogger } from ${
    JSON.stringify(new URL("../../server/logger.ts", import.meta.url).href)
  };
    const log = createLogger({ level: "info" });
    log.info("first", { n: 1 });
    log.info("long", { text: ${JSON.stringify(long)} });
    log.info("last", { n: 3 });
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", program],
    cwd: new URL("../..", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const lines = new TextDecoder().decode(out.stderr).split("\n");
  assertEquals(lines.length, 4, "three lines, each ended by a newline");
  assertEquals(lines[3], "");
  assert.match(lines[0]!, /^ts=\S+ level=info event=first n=1$/);
  assert.match(lines[1]!, /event=long text=(\S+)$/);
  assertEquals(lines[1]!.split("text=")[1], long);
  assert.match(lines[2]!, /event=last n=3$/);
});
