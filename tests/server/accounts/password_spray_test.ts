/**
 * A password spray does not lock real users out: 8 addresses (127.0.0.2 to
 * .9, real loopback addresses) with 32 connections each guess passwords for
 * many usernames as fast as the server answers, while a real user logs in
 * from another address. With the real hash cost (scrypt's default
 * parameters) and the default limits, the real user's correct login
 * completes within 2 s: its check goes before the spray's (its address has
 * no recent failures), the spray's checks are bounded and refused `busy`
 * past the bound.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { startAccountsServer } from "../../helpers/accounts_server.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { NodeLineClient } from "../../helpers/node_line_client.ts";
import { PasswordHasher } from "../../../server/mod.ts";

const ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
const PER_ADDRESS = 32;
/** Each spray connection makes at most this many attempts. */
const ATTEMPTS = 12;

/** One spray connection: wrong guesses for its own usernames, back to back. */
async function spray(
  c: NodeLineClient,
  name: string,
  stop: { stopped: boolean },
): Promise<number> {
  let answered = 0;
  for (let n = 0; n < ATTEMPTS && !stop.stopped; n++) {
    if (!c.send(`0:${name}-${n}:guess${n}`)) break;
    let line: string;
    try {
      line = await c.next(60_000);
    } catch {
      break; // the test ended and closed the connection
    }
    // A refusal unchecked (busy, rate-limited) comes first, then 0:-1.
    if (line.startsWith("9:0:")) line = await c.next(60_000).catch(() => "");
    answered++;
  }
  return answered;
}

Deno.test("password spray: 8 addresses x 32 connections guessing; a real user's login completes within 2 s", async () => {
  const log = new LogCapture((e) => e === "login.ok" || e === "login.busy");
  // The real cost of a hash: the default parameters (16 MiB, tens of ms).
  const hasher = new PasswordHasher();
  const t = await startAccountsServer({
    accounts: { ada: "real user's password" },
    hasher,
    auth: { logger: log },
    server: { logger: log },
  });
  const stop = { stopped: false };
  const clients: NodeLineClient[] = [];
  try {
    for (const address of ADDRESSES) {
      for (let i = 0; i < PER_ADDRESS; i++) {
        clients.push(await NodeLineClient.connect(t.port, address));
      }
    }
    const sprays = clients.map((c, i) => spray(c, `spray${i}`, stop));
    // The spray is on once the hasher has a queue and refuses past it.
    await log.until(
      () => log.count("login.busy") > 0 && hasher.queued > 8,
      "the spray fills the queue of password checks",
      30_000,
    );
    await using ada = await NodeLineClient.connect(t.port, "127.0.0.1");
    const start = performance.now();
    ada.send("0:ada:real user's password");
    const reply = await ada.next(30_000);
    const took = performance.now() - start;
    assert.match(reply, /^0:\d+/, `the real user got in (${reply})`);
    assert.ok(
      took < 2_000,
      `the real user's login took ${
        Math.round(took)
      } ms, with ${hasher.queued} checks waiting`,
    );
    stop.stopped = true;
    await Promise.all(clients.map((c) => c.close()));
    const answered = await Promise.all(sprays);
    assert.ok(answered.some((n) => n > 0), "the spray was answered");
    assertEquals(log.count("login.ok"), 1, "no spray guess got in");
  } finally {
    stop.stopped = true;
    await Promise.all(clients.map((c) => c.close()));
    await t[Symbol.asyncDispose]();
    // Checks already queued finish (dropped: their clients have gone).
    await hasher.idle();
  }
});
