/** `connect` in script mode, as a child process against a real server. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { readAll, spawnCli } from "../helpers/cli.ts";
import { startServer } from "../helpers/server.ts";
import { TableAuthenticator } from "../helpers/auth.ts";

/** Runs `connect` with `script` on stdin; returns exit code and output. */
async function runScript(port: number, script: string, ...flags: string[]) {
  await using child = spawnCli(["connect", `127.0.0.1:${port}`, ...flags], {
    stdin: true,
  });
  const writer = child.process.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const stdout = await readAll(child.stdout);
  const { code } = await child.process.status;
  return { code, stdout, stderr: await child.stderrText() };
}

Deno.test("connect script: a passing script exits 0 and prints lines raw and explained", async () => {
  await using t = await startServer();
  const result = await runScript(
    t.port,
    [
      "# comments and blank lines are skipped",
      "",
      "login ada pw",
      "expect ^0:(?<me>\\d+)",
      "2:lobby",
      "expect ^4:${me}$ within 5000",
      "3:1:aGVsbG8gYWRh",
      "expect ^3:${me}:",
      "expect-none ^9: for 50",
    ].join("\n"),
  );
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stderr, "");
  const lines = result.stdout.split("\n");
  assert.ok(lines.includes("> 0:ada:***"), "the password is not printed");
  assert.ok(lines.includes("> 2:lobby"));
  assert.ok(lines.includes("< 2:1:lobby      you are in lobby"), result.stdout);
  assert.ok(lines.includes("< 4:1            you are the master"));
  assert.ok(
    lines.includes(
      '< 3:1:aGVsbG8gYWRh from 1 (you): aGVsbG8gYWRh (base64 of "hello ada")',
    ),
  );
});

Deno.test("connect script: a failing expect exits 1 and shows what arrived instead", async () => {
  await using t = await startServer();
  const result = await runScript(
    t.port,
    "login ada pw\n2:lobby\nexpect ^3:\\d+:hello$ within 300\n3:1:never sent\n",
  );
  assertEquals(result.code, 1);
  assertEquals(
    result.stderr.replace(/\(at \d+ ms\)/g, "(at N ms)"),
    [
      "switchboard: error: stdin:3: expect failed: no line matching /^3:\\d+:hello$/ within 300 ms",
      "  expected: a line matching /^3:\\d+:hello$/",
      "  received instead (3 lines since the last match):",
      "    + 0:1:***   (at N ms)",
      "    + 2:1:lobby   (at N ms)",
      "    + 4:1   (at N ms)",
      "",
    ].join("\n"),
  );
  assert.ok(!result.stdout.includes("never sent"), "the script stopped");
});

Deno.test("connect script: a failing expect-none exits 1 naming the line", async () => {
  await using t = await startServer();
  const result = await runScript(
    t.port,
    "login ada\n3:0:x\nexpect-none ^9: for 5000\n",
  );
  assertEquals(result.code, 1);
  assert.match(
    result.stderr,
    /^switchboard: error: stdin:3: expect-none failed: a line matched \/\^9:\/ within 5000 ms\n/,
  );
  assert.match(result.stderr, /\+ 9:3:not-in-room:/);
});

Deno.test("connect script: --script FILE runs a file; a refused join fails the script", async () => {
  await using t = await startServer();
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/s.txt`;
    await Deno.writeTextFile(file, "login ada\njoin lobby\n");
    await using child = spawnCli([
      "connect",
      `127.0.0.1:${t.port}`,
      "--script",
      file,
    ]);
    const out = await readAll(child.stdout);
    assertEquals((await child.process.status).code, 0, out);
    assert.match(out, /you are the master/);
    const owner = await t.user("cy");
    await owner.send("2:den:key");
    await owner.take(2);
    await Deno.writeTextFile(file, "login bob\njoin den wrong\n");
    await using refused = spawnCli([
      "connect",
      `127.0.0.1:${t.port}`,
      "--script",
      file,
    ]);
    await readAll(refused.stdout);
    assertEquals((await refused.process.status).code, 1);
    assert.match(
      await refused.stderrText(),
      new RegExp(
        `^switchboard: error: ${file}:2: join den \\*\\*\\*\n  failed: .*wrong-password`,
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("connect script: when the server closes the connection, a waiting expect fails at once", async () => {
  await using t = await startServer();
  // logging in as ourselves again on another connection supersedes nothing,
  // but a line over the server's limit makes it close the connection
  const result = await runScript(
    t.port,
    `login ada\nsend 3:0:${"x".repeat(70_000)}\nexpect ^never$ within 60000\n`,
  );
  assertEquals(result.code, 1);
  assert.match(
    result.stderr,
    /before the connection ended \(the server closed the connection\)/,
  );
  assert.match(result.stderr, /\+ 9:\?:line-too-long:/);
});

Deno.test("connect script: --json prints one object per incoming line and nothing else", async () => {
  await using t = await startServer();
  const result = await runScript(
    t.port,
    "login ada\n2:lobby\nexpect ^4:\n",
    "--json",
  );
  assertEquals(result.code, 0, result.stderr);
  const objects = result.stdout.trim().split("\n").map((l) => JSON.parse(l));
  // then the lines the server sends as the script ends: our own leave
  assertEquals(objects.slice(0, 3).map((o) => [o.kind, o.raw]), [
    ["welcome", "0:1:***"],
    ["joined", "2:1:lobby"],
    ["master", "4:1"],
  ]);
  assertEquals(objects.slice(3).map((o) => o.raw), ["2:1:"]);
  assert.match(objects[0].time, /^\d{4}-\d\d-\d\dT/);
});

Deno.test("connect script: script errors and unreachable servers exit 2", async () => {
  await using t = await startServer();
  const bad = await runScript(t.port, "login ada\nexpect ([\n");
  assertEquals(bad.code, 2);
  assert.match(
    bad.stderr,
    /^switchboard: error: stdin:2: bad regular expression.*\n {2}the steps are/,
  );
  const unset = await runScript(t.port, "3:4:${nobody}:x\n");
  assertEquals([unset.code, unset.stderr], [
    2,
    "switchboard: error: stdin:1: ${nobody} is not set (no expect captured it)\n" +
    "  set it first with a named group in an expect: expect ^0:(?<me>\\d+)\n",
  ]);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const down = await runScript(port, "1:\n");
  assertEquals(down.code, 2);
  assert.match(
    down.stderr,
    /^switchboard: error: cannot connect to 127\.0\.0\.1:\d+.*\n {2}is the server running/,
  );
  await using missing = spawnCli([
    "connect",
    `127.0.0.1:${t.port}`,
    "--script",
    "/nonexistent/x.txt",
  ]);
  assertEquals((await missing.process.status).code, 2);
});

Deno.test("connect: bad addresses and flags are refused with a message", async () => {
  for (
    const args of [["connect", "a:b:c"], ["connect", "--expect-timeout", "0"], [
      "connect",
      "--nope",
    ]]
  ) {
    await using child = spawnCli(args);
    assert.notEqual((await child.process.status).code, 0, args.join(" "));
    assert.ok((await child.stderrText()).length > 0);
  }
});

Deno.test("connect script: secrets are masked in output, reports and --json, unless --show-secrets", async () => {
  await using t = await startServer({
    auth: new TableAuthenticator({ ada: "s3cret-pw", bob: "bobpw", cy: "pw" }),
  });
  const owner = await t.user("cy");
  await owner.send("2:den:door-code");
  await owner.take(2);
  const hex32 = /[0-9a-f]{32}/;
  const script = [
    "login ada s3cret-pw",
    "1:door-code",
    "2:den:wrong-code",
    "expect ^never within 200",
  ].join("\n");
  const masked = await runScript(t.port, script);
  assertEquals(masked.code, 1);
  const all = masked.stdout + masked.stderr;
  for (const secret of ["s3cret-pw", "door-code", "wrong-code"]) {
    assert.ok(!all.includes(secret), `${secret} is not printed:\n${all}`);
  }
  assert.doesNotMatch(all, hex32, "the UDP secret is not printed");
  assert.match(masked.stdout, /^> 0:ada:\*\*\*$/m);
  assert.match(masked.stdout, /^> 1:\*\*\*$/m);
  assert.match(masked.stdout, /^> 2:den:\*\*\*$/m);
  assert.match(masked.stderr, /\+ 0:2:\*\*\*/);

  const json = await runScript(t.port, "login bob bobpw\n", "--json");
  assertEquals(json.code, 0, json.stderr);
  assert.doesNotMatch(json.stdout, hex32);
  assertEquals(JSON.parse(json.stdout.split("\n")[0]!).udpSecret, "***");
  const failedLogin = await runScript(
    t.port,
    "login cy wrong-login-pw\n",
  );
  assertEquals(failedLogin.code, 1);
  assert.ok(!failedLogin.stderr.includes("wrong-login-pw"));
  assert.match(
    failedLogin.stderr,
    /^switchboard: error: stdin:1: login cy \*\*\*\n/,
  );

  const shown = await runScript(t.port, script, "--show-secrets");
  assertEquals(shown.code, 1);
  assert.match(shown.stdout, /^> 0:ada:s3cret-pw$/m);
  assert.match(shown.stdout, /^> 2:den:wrong-code$/m);
  assert.match(shown.stdout + shown.stderr, hex32);
});
