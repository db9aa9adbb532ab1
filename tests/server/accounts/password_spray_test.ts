/**
 * A password spray does not lock real users out: 8 addresses (127.0.0.2 to
 * .9, real loopback addresses) with 32 connections each, in a process of
 * their own, guess passwords for many usernames as fast as the server
 * answers, while a real user logs in from another address. With the real
 * hash cost (scrypt's default parameters) and the default limits, the real
 * user's correct login completes within 2 s: its check goes before the
 * spray's and beside the one running (its address has no recent failures);
 * the spray's checks are bounded and refused `busy` past the bound.
 *
 * The real user logs in once the spray's first burst is over (few
 * connections with attempts left: those whose checks wait in the queue),
 * while the queue of checks is full of the spray's: the attackers' own
 * traffic is then light, as it is when they are elsewhere, not on the
 * server's 2 cores. One allowance for a machine shared with other work:
 * when a login takes long even without any spray (measured first, the same
 * way), the bound is three times that, if it is more than 2 s. Starved
 * behind the spray, as before the queue of checks, the login takes 20 s and
 * more.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { startAccountsServer } from "../../helpers/accounts_server.ts";
import { readUntil } from "../../helpers/cli.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { NodeLineClient } from "../../helpers/node_line_client.ts";
import { PasswordHasher } from "../../../server/mod.ts";

const SPRAY = new URL("../../helpers/spray_child.ts", import.meta.url).pathname;
const ADDRESSES = 8;
const PER_ADDRESS = 32;
/** Each spray connection makes at most this many attempts. */
const ATTEMPTS = 12;

Deno.test("password spray: 8 addresses x 32 connections guessing; a real user's login completes within 2 s", async () => {
  const log = new LogCapture((e) => e === "login.ok");
  // The real cost of a hash: the default parameters (16 MiB, tens of ms).
  const hasher = new PasswordHasher();
  const t = await startAccountsServer({
    accounts: { ada: "real user's password", bob: "another password" },
    hasher,
    auth: { logger: log },
    server: { logger: log },
  });
  const timedLogin = async (user: string, password: string, from: string) => {
    await using c = await NodeLineClient.connect(t.port, from);
    const start = performance.now();
    c.send(`0:${user}:${password}`);
    const reply = await c.next(60_000);
    assert.match(reply, /^0:\d+/, `${user} got in (${reply})`);
    return performance.now() - start;
  };
  // Before the spray: what one login costs on this machine now.
  const alone = await timedLogin("bob", "another password", "127.0.0.10");
  const bound = Math.max(2_000, 3 * alone);
  const spray = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      SPRAY,
      ...[t.port, ADDRESSES, PER_ADDRESS, ATTEMPTS].map(String),
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const out = spray.stdout.pipeThrough(new TextDecoderStream());
  try {
    await readUntil(out, /^connected$/m, 30_000);
    await readUntil(out, /^active ([0-7]?\d|80)$/m, 60_000);
    assert.ok(log.count("login.busy") > 0, "the spray was refused busy");
    assert.ok(hasher.queued > 8, `the queue holds ${hasher.queued} checks`);
    const took = await timedLogin("ada", "real user's password", "127.0.0.1");
    assert.ok(
      took < bound,
      `the real user's login took ${Math.round(took)} ms during the spray (${
        Math.round(alone)
      } ms without it), with ${hasher.queued} checks waiting`,
    );
    await spray.stdin.close();
    const [, answered] = await readUntil(out, /^done (\d+)$/m, 30_000);
    assert.ok(Number(answered) > 0, "the spray was answered");
    assertEquals(log.count("login.ok"), 2, "no spray guess got in");
  } finally {
    try {
      spray.kill("SIGKILL");
    } catch {
      // it has exited
    }
    await spray.status;
    await out.cancel().catch(() => {});
    await t[Symbol.asyncDispose]();
    // Checks already queued finish (dropped: their clients have gone).
    await hasher.idle();
  }
});
