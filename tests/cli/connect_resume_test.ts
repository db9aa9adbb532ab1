/**
 * `connect` gets back by itself: under a real pseudo-terminal, a connection
 * the test cuts is resumed and said so, `/reconnect` drops and resumes the
 * same session, and the room (a raw client) sees the member away and back,
 * never leaving.
 */
import { assertEquals } from "../helpers/assert.ts";
import { CutProxy } from "../helpers/cut_proxy.ts";
import { hasScript, PtyCli } from "../helpers/repl_pty.ts";
import { startServer } from "../helpers/server.ts";

const ignore = !hasScript();
const why = ignore ? " [ignored: util-linux script(1) is missing]" : "";

Deno.test({
  name:
    "connect: a cut connection is resumed and said so; /reconnect resumes the same session; the room never sees a leave" +
    why,
  ignore,
  async fn() {
    await using t = await startServer();
    await using proxy = CutProxy.start(t.port);
    const home = await Deno.makeTempDir();
    try {
      await using repl = new PtyCli([
        "connect",
        `127.0.0.1:${proxy.port}`,
        "--history",
        `${home}/h`,
      ]);
      await repl.waitFor(/connected to/);
      await repl.type("/login ada\r");
      await repl.waitFor(/Password: /);
      await repl.type("pw\r");
      await repl.waitFor(/logged in as session 1/);
      await repl.type("/join lobby\r");
      await repl.waitFor(/you are the master/);
      const bob = await t.member("bob", "lobby");
      await repl.waitFor(/user 2 joined lobby/);
      proxy.cutAll();
      await repl.waitFor(/connection lost.*reconnecting to resume the session/);
      await bob.send("3:0:while you were away");
      await repl.waitFor(/< 3:2:while you were away/);
      await repl.waitFor(/resumed session 1 after \d+ ms; nothing was lost/);
      await repl.type("/reconnect\r");
      await repl.waitFor(/dropping the connection/);
      await repl.waitFor(/connection lost; reconnecting to resume the session/);
      await repl.waitFor(/resumed session 1 after/);
      await repl.type("/who\r");
      await repl.waitFor(/lobby: 1 \(master, you\), 2/);
      assertEquals(bob.history.filter((l) => l === "2:1:"), []);
      assertEquals(
        bob.history.filter((l) => l.startsWith("6:1:")),
        ["6:1:away", "6:1:back", "6:1:away", "6:1:back"],
      );
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
