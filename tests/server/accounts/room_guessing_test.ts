/**
 * Room passwords cannot be guessed faster than account passwords: wrong
 * passwords given to `2:room:guess` and `1:guess` listings that open
 * nothing are throttled like logins, per session, per address and per room,
 * and a wrong room password never costs more hashing than a right one.
 *
 * The comparisons run both throttles with the same scaled-down policy
 * (delays of 1 ms doubling to 4 ms instead of 250 ms to 4 s, the same free
 * allowances), stated in `SCALED`: with the real delays, 200 guesses take
 * many minutes either way. Its longest wait, 30 ms, is 7.5 times the
 * longest delay (the real one is 2.5 times): enough for a room guess whose
 * three keys (session, address, room) all delay, which with the real
 * 10 s is refused until a failure is forgiven — stricter still, but then
 * 200 guesses would take an hour. The login side gets every advantage an
 * attacker's logins could have: hashes that cost nothing (scrypt's smallest
 * parameters, so that only the throttle is compared, as with the real
 * delays where a 60 ms hash is noise beside seconds of waiting) and no
 * per-connection login rate, and guesses from several connections at once
 * (one session cannot do that for room guesses: its lines wait for each
 * answer).
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  CHEAP_SCRYPT,
  startAccountsServer,
} from "../../helpers/accounts_server.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { NodeLineClient } from "../../helpers/node_line_client.ts";
import {
  LoginThrottle,
  parseHash,
  PasswordHasher,
  RoomPasswordThrottle,
} from "../../../server/mod.ts";

/** The login delays, scaled down in time (see the module notes). */
const SCALED = { baseDelayMs: 1, maxDelayMs: 8, maxWaitMs: 60 } as const;
/** scrypt's smallest parameters: a hash in microseconds. */
const FREE_SCRYPT = { N: 2, r: 1, p: 1 } as const;
const GUESSES = 200;
const ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);

/** Counts checked guesses across clients until there are `target`. */
class Tally {
  checked = 0;
  unchecked = 0;
  reachedAt = 0;
  constructor(readonly target: number) {}
  get done(): boolean {
    return this.checked >= this.target;
  }
  check(): void {
    if (++this.checked === this.target) this.reachedAt = performance.now();
  }
}

/** Wrong logins for `user` from `client` until the tally is done. */
async function guessLogins(c: NodeLineClient, user: string, tally: Tally) {
  for (let n = 0; !tally.done; n++) {
    c.send(`0:${user}:wrong-${c.localAddress}-${n}`);
    const line = await c.next(30_000);
    if (line.startsWith("9:0:rate-limited:")) {
      // Refused unchecked: the attempt taught the attacker nothing.
      assertEquals(await c.next(), "0:-1");
      tally.unchecked++;
      continue;
    }
    assertEquals(line, "0:-1");
    tally.check();
  }
}

/** Wrong passwords for room `room` from `client`'s session until done. */
async function guessRoom(c: NodeLineClient, room: string, tally: Tally) {
  for (let n = 0; !tally.done; n++) {
    c.send(`2:${room}:wrong-${c.localAddress}-${n}`);
    const line = await c.next(30_000);
    if (line.startsWith("9:2:rate-limited:")) {
      tally.unchecked++;
      continue;
    }
    assertEquals(line, `9:2:wrong-password:room ${room} needs its password`);
    tally.check();
  }
}

async function login(c: NodeLineClient, user: string): Promise<void> {
  c.send(`0:${user}:pw`);
  assert.match(await c.next(), /^0:\d+/);
}

/**
 * Milliseconds until `GUESSES` wrong logins against one user were checked,
 * from `perAddress` connections at each address.
 */
async function loginGuessingMs(
  addresses: readonly string[],
  perAddress: number,
): Promise<number> {
  await using t = await startAccountsServer({
    accounts: { ada: "pw" },
    hasher: new PasswordHasher({ params: FREE_SCRYPT }),
    auth: { throttle: new LoginThrottle(SCALED) },
    server: { limits: { maxLoginsPerMinute: 1_000_000 } },
  });
  const clients = await Promise.all(
    addresses.flatMap((a) =>
      Array.from(
        { length: perAddress },
        () => NodeLineClient.connect(t.port, a),
      )
    ),
  );
  try {
    const tally = new Tally(GUESSES);
    const start = performance.now();
    await Promise.all(clients.map((c) => guessLogins(c, "ada", tally)));
    return tally.reachedAt - start;
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** Milliseconds until `GUESSES` wrong passwords for one room were checked. */
async function roomGuessingMs(addresses: readonly string[]): Promise<number> {
  const users = Object.fromEntries(
    ["member", ...addresses.map((_, i) => `guesser${i}`)].map((u) => [u, "pw"]),
  );
  await using t = await startAccountsServer({
    accounts: users,
    rooms: [{ name: "vault", password: "door" }],
    server: { roomPasswordThrottle: new RoomPasswordThrottle(SCALED) },
  });
  // Someone is in: the right password's digest is known, and every check is
  // a cheap comparison — the attacker's best case.
  const member = await t.member("member", "vault:door");
  const clients = await Promise.all(
    addresses.map((a) => NodeLineClient.connect(t.port, a)),
  );
  try {
    await Promise.all(clients.map((c, i) => login(c, `guesser${i}`)));
    const tally = new Tally(GUESSES);
    const start = performance.now();
    await Promise.all(clients.map((c) => guessRoom(c, "vault", tally)));
    assertEquals(await member.sync(), [], "nobody got in");
    return tally.reachedAt - start;
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

Deno.test("room guessing: 200 wrong room passwords from one session take at least as long as 200 wrong logins against one user", async () => {
  // Logins the attacker's fastest way: 8 connections from its address, so
  // that each check's own cost overlaps the throttle's spacing.
  const logins = await loginGuessingMs(ADDRESSES.slice(0, 1), 8);
  const rooms = await roomGuessingMs(ADDRESSES.slice(0, 1));
  assert.ok(
    rooms >= logins,
    `room guesses took ${Math.round(rooms)} ms, logins ${
      Math.round(logins)
    } ms`,
  );
});

Deno.test("room guessing: the same from 8 addresses at once", async () => {
  const logins = await loginGuessingMs(ADDRESSES, 1);
  const rooms = await roomGuessingMs(ADDRESSES);
  assert.ok(
    rooms >= logins,
    `room guesses took ${Math.round(rooms)} ms, logins ${
      Math.round(logins)
    } ms`,
  );
});

Deno.test("room guessing: 1:<password> that opens nothing counts as a guess; one that opens a private room does not", async () => {
  const log = new LogCapture((e) => e === "room.guess_throttled");
  await using t = await startAccountsServer({
    accounts: { ada: "pw", bob: "pw" },
    rooms: [{ name: "den", password: "door", isPrivate: true }],
    server: {
      logger: log,
      roomPasswordThrottle: new RoomPasswordThrottle({
        ...SCALED,
        session: { freeFailures: 3 },
      }),
    },
  });
  const ada = await t.user("ada");
  for (let i = 0; i < 5; i++) {
    await ada.send("1:door");
    assertEquals(await ada.next(), "1:den-0");
  }
  assertEquals(log.records.length, 0, "listings that reveal a room are free");
  for (let i = 0; i < 3; i++) {
    await ada.send(`1:guess${i}`);
    assertEquals(await ada.next(), "1:");
  }
  assertEquals(log.records.length, 0, "three free failures");
  // The listing failures count for a join guess of the same session too.
  await ada.send("2:den:guess");
  assertEquals(
    await ada.next(),
    "9:2:wrong-password:room den needs its password",
  );
  assertEquals(log.records.map((r) => r.fields.session), [ada.id]);
  assert.ok(Number(log.records[0]!.fields.wait_ms) > 0);
  // Another session is not slowed down by ada's failures.
  const bob = await t.user("bob");
  await bob.send("1:door");
  assertEquals(await bob.next(), "1:den-0");
  assertEquals(log.records.length, 1);
});

Deno.test("room guessing: past the longest wait a guess is refused unchecked, costing no hash", async () => {
  const hasher = new CountingHasher({ params: CHEAP_SCRYPT });
  await using t = await startAccountsServer({
    accounts: { ada: "pw" },
    rooms: [{ name: "vault", password: "door" }],
    hasher,
    server: {
      // As with the real policy, two keys at their longest delay (4 + 4)
      // wait longer than the longest wait (6): refused unchecked.
      roomPasswordThrottle: new RoomPasswordThrottle({
        ...SCALED,
        maxWaitMs: 6,
      }),
    },
  });
  const ada = await t.user("ada");
  let hashes = 0;
  let reply = "";
  for (let i = 0; i < 40 && !reply.startsWith("9:2:rate-limited:"); i++) {
    hashes = hasher.hashes;
    await ada.send(`2:vault:guess${i}`);
    reply = await ada.next();
  }
  assertEquals(
    reply,
    "9:2:rate-limited:too many wrong room passwords; try again later",
  );
  assertEquals(hasher.hashes, hashes, "the refused guess was not checked");
});

/** A real hasher that counts the hashes it computes. */
class CountingHasher extends PasswordHasher {
  hashes = 0;
  override verify(
    password: string,
    stored: string,
    options?: Parameters<PasswordHasher["verify"]>[2],
  ): Promise<boolean> {
    parseHash(stored);
    this.hashes++;
    return super.verify(password, stored, options);
  }
}

Deno.test("room guessing: a wrong room password never costs more hashing than a right one", async () => {
  const hasher = new CountingHasher({ params: CHEAP_SCRYPT });
  await using t = await startAccountsServer({
    accounts: { ada: "pw", bob: "pw", cy: "pw" },
    rooms: [{ name: "vault", password: "door" }],
    hasher,
  });
  const ada = await t.user("ada");
  const bob = await t.user("bob");
  const cost = async (c: typeof ada, line: string) => {
    const before = hasher.hashes;
    await c.send(line);
    const reply = await c.next();
    return [reply.split(":").slice(0, 3).join(":"), hasher.hashes - before];
  };
  // Before anyone is in, both cost one hash of the same parameters.
  assertEquals(await cost(bob, "2:vault:wrong"), ["9:2:wrong-password", 1]);
  assertEquals(await cost(ada, "2:vault:door"), [`2:${ada.id}:vault`, 1]);
  await ada.next(); // 4:
  // Once it is known, both cost none.
  assertEquals(await cost(bob, "2:vault:wrong2"), ["9:2:wrong-password", 0]);
  assertEquals(await cost(bob, "2:vault:door"), [`2:${bob.id}:vault`, 0]);
  // And no password at all is no guess and no hash.
  const cy = await t.user("cy");
  assertEquals(await cost(cy, "2:vault"), ["9:2:wrong-password", 0]);
});
