/** The `connect` REPL under a real pseudo-terminal, against a real server. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { hasScript, PtyCli } from "../helpers/repl_pty.ts";
import { startServer } from "../helpers/server.ts";

const ignore = !hasScript();
/** Where `script` is missing the tests are ignored, saying why in their names. */
const why = ignore ? " [ignored: util-linux script(1) is missing]" : "";

/** A temp dir for the history file, removed afterwards. */
async function tempDir() {
  const path = await Deno.makeTempDir();
  return {
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true });
    },
  };
}

const UP = "\x1b[A";

Deno.test({
  name:
    "repl: /login asks for a password without echo; slash commands send; incoming lines are explained" +
    why,
  ignore,
  async fn() {
    await using t = await startServer();
    await using dir = await tempDir();
    const history = `${dir.path}/history`;
    await using repl = new PtyCli([
      "connect",
      `127.0.0.1:${t.port}`,
      "--history",
      history,
    ]);
    await repl.waitFor(/connected to 127\.0\.0\.1:\d+/);
    await repl.type("/login ada\r");
    await repl.waitFor(/Password: /);
    await repl.type("s3cret-pw\r");
    const [, id] = await repl.waitFor(
      /< 0:(\d+):\*\*\* +logged in as session \d+/,
    );
    assert.ok(!repl.output.includes("s3cret-pw"), "the password is not shown");
    assert.doesNotMatch(repl.output, /[0-9a-f]{32}/, "nor the UDP secret");
    assert.match(repl.text, /> 0:ada:\*\*\*/, "the sent line hides it too");

    await repl.type("/join lobby\r");
    await repl.waitFor(/> 2:lobby/);
    await repl.waitFor(new RegExp(`< 4:${id} +you are the master`));
    await repl.waitFor(/#\d+@lobby> /);

    const bob = await t.member("bob", "lobby");
    await repl.waitFor(
      new RegExp(`< 2:${bob.id}:lobby +user ${bob.id} joined lobby`),
    );
    await bob.send("3:0:aGVsbG8gYWRh");
    await repl.waitFor(
      new RegExp(
        `< 3:${bob.id}:aGVsbG8gYWRh from ${bob.id}: aGVsbG8gYWRh \\(base64 of "hello ada"\\)`,
      ),
    );

    // a raw line goes out verbatim; a slash command becomes its line
    await repl.type("3:0:raw: line\r");
    assertEquals(await bob.next(), `3:${id}:raw: line`);
    await repl.type("/to " + bob.id + " psst\r");
    assertEquals(await bob.next(), `3:${id}:psst`);

    // a line arriving while typing is printed above, and the typing is redrawn
    await repl.type("/say half");
    await repl.waitFor(/\/say half/);
    await bob.send("3:0:interrupting");
    await repl.waitFor(/from \d+: interrupting\n#\d+@lobby> \/say half/);
    await repl.type("way there\r");
    assertEquals(await bob.next(), `3:${id}:halfway there`);

    await repl.type("/who\r");
    await repl.waitFor(new RegExp(`lobby: ${id} \\(master, you\\), ${bob.id}`));
    await repl.type("/udp on\r");
    await repl.waitFor(/UDP channel open/);
    await repl.type("/all over udp\r");
    await repl.waitFor(/from \d+ \(you\): over udp \(over UDP\)/);
    assertEquals(
      await bob.next(),
      `3:${id}:over udp`,
      "bob has no channel: TCP",
    );
    assert.match(repl.text, /> 3:1:over udp {2}\(over UDP\)/, "sent as shown");
    await repl.type("/udp off\r");
    await repl.waitFor(/UDP channel closed/);
    // Tab: the command with its space, then a room though /rooms never ran
    await repl.type("/jo\t");
    await repl.waitFor(/\/join $/);
    await repl.type("lo\t");
    await repl.waitFor(/lobby/); // after "/join ": completed from the server's list
    assert.ok(
      !/[<>] 1:/.test(repl.text),
      "the room list asked for is not shown",
    );
    await repl.type("\x15/quit\r");
    assertEquals((await repl.status).code, 0);
    const saved = await Deno.readTextFile(history);
    assert.match(saved, /^\/join lobby$/m);
    assert.ok(!saved.includes("s3cret-pw"));
  },
});

Deno.test({
  name: "repl: history is kept across runs; Ctrl-D leaves" + why,
  ignore,
  async fn() {
    await using t = await startServer();
    await using dir = await tempDir();
    const args = ["connect", `127.0.0.1:${t.port}`];
    const env = { SWITCHBOARD_HISTORY: `${dir.path}/h` };
    {
      await using first = new PtyCli(args, env);
      await first.waitFor(/connected to/);
      await first.type("1:\r");
      await first.waitFor(/< 0:-1 +not logged in/);
      await first.type("/rooms\r");
      await first.waitFor(/< 0:-1/);
      await first.type("\x04");
      assertEquals((await first.status).code, 0);
    }
    await using second = new PtyCli(args, env);
    await second.waitFor(/connected to/);
    await second.type(UP + UP);
    await second.waitFor(/> 1:$/m);
    await second.type("\r");
    await second.waitFor(/< 0:-1/);
  },
});

Deno.test({
  name: "repl: a lost connection is reported and /reconnect logs in again" +
    why,
  ignore,
  async fn() {
    await using t = await startServer();
    await using dir = await tempDir();
    await using repl = new PtyCli([
      "connect",
      `127.0.0.1:${t.port}`,
      "--history",
      `${dir.path}/h`,
      "--timestamps",
    ]);
    await repl.waitFor(/connected to/);
    await repl.type("/login ada\r");
    await repl.waitFor(/Password: /);
    await repl.type("pw\r");
    await repl.waitFor(/\d\d:\d\d:\d\d\.\d{3} < 0:\d+(:\*\*\*)? +logged in/);
    await repl.type("/join lobby\r");
    await repl.waitFor(/you are the master/);
    // logging in as ada elsewhere ends this session and its connection
    const other = await t.client();
    await other.login("ada");
    await repl.waitFor(/< 0:-1 +your session ended/);
    await repl.waitFor(/connection lost/);
    await repl.waitFor(/\(offline\)> /);
    await repl.type("3:0:x\r");
    await repl.waitFor(/not connected; \/reconnect/);
    await repl.type("/reconnect\r");
    await repl.waitFor(/logging in again as ada/);
    await repl.waitFor(/< 0:\d+(:\*\*\*)? +logged in as session/);
    await repl.waitFor(/you are the master/);
    await other.closed();
  },
});

Deno.test({
  name: "repl: colours on a terminal, none with NO_COLOR" + why,
  ignore,
  async fn() {
    await using t = await startServer();
    await using dir = await tempDir();
    const args = [
      "connect",
      `127.0.0.1:${t.port}`,
      "--history",
      `${dir.path}/h`,
    ];
    // deno-lint-ignore no-control-regex
    const SGR = /\x1b\[3\dm/;
    {
      await using colored = new PtyCli(args, { NO_COLOR: "" });
      await colored.waitFor(/connected to/);
      await colored.type("1:\r");
      await colored.waitFor(/< 0:-1/);
      assert.match(colored.output, SGR);
    }
    await using plain = new PtyCli(args, { NO_COLOR: "1" });
    await plain.waitFor(/connected to/);
    await plain.type("1:\r");
    await plain.waitFor(/< 0:-1/);
    assert.doesNotMatch(plain.output, SGR);
  },
});

Deno.test({
  name: "repl: a session ended by a login elsewhere is explained as yours" +
    why,
  ignore,
  async fn() {
    await using t = await startServer();
    await using repl = new PtyCli(["connect", `127.0.0.1:${t.port}`]);
    await repl.waitFor(/connected to/);
    await repl.type("/login ada\r");
    await repl.waitFor(/Password: /);
    await repl.type("pw\r");
    const [, id] = await repl.waitFor(/< 0:(\d+)\S* +logged in as session/);
    await repl.type("/join lobby\r");
    await repl.waitFor(/you are the master/);
    await t.member("ada", "hall"); // ada again, on another connection
    await repl.waitFor(/< 9:0:superseded:/);
    await repl.waitFor(/< 0:-1 +your session ended/);
    await repl.waitFor(
      new RegExp(`< 2:${id}: +you left lobby \\(your session ended\\)`),
    );
    assert.ok(!repl.text.includes(`user ${id} left`), repl.text);
    await repl.type("/quit\r");
  },
});
