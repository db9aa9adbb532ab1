/** `--auth accounts` over real sockets: who gets in, and what it costs. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  CHEAP_SCRYPT,
  startAccountsServer,
} from "../../helpers/accounts_server.ts";
import {
  createLogger,
  parseHash,
  PasswordHasher,
  type ScryptParams,
} from "../../../server/mod.ts";

/** A real hasher that notes the parameters of every hash it checks. */
class WatchedHasher extends PasswordHasher {
  readonly checked: ScryptParams[] = [];
  override verify(password: string, stored: string): Promise<boolean> {
    this.checked.push(parseHash(stored).params);
    return super.verify(password, stored);
  }
}

Deno.test("accounts: the right password logs in; the login time is kept", async () => {
  await using t = await startAccountsServer({ accounts: { ada: "s3cret" } });
  const c = await t.client();
  const before = new Date();
  assert.ok((await c.login("ada", "s3cret")) > 0);
  const ada = await t.store.findAccount("ada");
  assert.ok(
    ada?.lastLoginAt !== null &&
      ada!.lastLoginAt >= new Date(before.getTime() - 1000),
  );
  await c.send("2:lobby");
  assertEquals((await c.take(2))[1]!.startsWith("4:"), true);
});

Deno.test("accounts: wrong password, unknown user and disabled user all get 0:-1, and may try again", async () => {
  await using t = await startAccountsServer({
    accounts: { ada: "s3cret", bob: "b0b" },
  });
  await t.accounts.disable("bob");
  const c = await t.client();
  for (
    const line of [
      "0:ada:wrong",
      "0:ada:",
      "0:ada",
      "0:nobody:s3cret",
      "0:bob:b0b",
      "0:ADA:s3cret",
    ]
  ) {
    await c.send(line);
    assertEquals(await c.next(), "0:-1", line);
  }
  await c.send("1:");
  assertEquals(await c.next(), "0:-1", "still not logged in");
  assert.ok((await c.login("ada", "s3cret")) > 0, "the connection stayed open");
  await t.accounts.enable("bob");
  const b = await t.client();
  assert.ok((await b.login("bob", "b0b")) > 0, "enabled again");
});

Deno.test("accounts: wrong password, unknown and disabled users cost one hash of the same parameters", async () => {
  const hasher = new WatchedHasher({ params: CHEAP_SCRYPT });
  await using t = await startAccountsServer({
    accounts: { ada: "s3cret", bob: "b0b" },
    hasher,
  });
  await t.accounts.disable("bob");
  const c = await t.client();
  for (
    const line of ["0:ada:s3cret", "0:ada:wrong", "0:nobody:x", "0:bob:b0b"]
  ) {
    const before = hasher.checked.length;
    await c.send(line);
    await c.next();
    assertEquals(hasher.checked.slice(before), [CHEAP_SCRYPT], line);
  }
});

Deno.test("accounts: a password changed while the server runs applies to the next login", async () => {
  await using t = await startAccountsServer({ accounts: { ada: "old" } });
  await t.accounts.setPassword("ada", "new");
  const c = await t.client();
  await c.send("0:ada:old");
  assertEquals(await c.next(), "0:-1");
  assert.ok((await c.login("ada", "new")) > 0);
});

Deno.test("accounts: a damaged hash refuses its user and is logged, the server carries on", async () => {
  const lines: string[] = [];
  await using t = await startAccountsServer({
    accounts: { ada: "s3cret" },
    auth: {
      logger: createLogger({ level: "error", write: (l) => lines.push(l) }),
    },
  });
  await t.store.addAccount({ username: "eve", passwordHash: "not a hash" });
  const c = await t.client();
  await c.send("0:eve:anything");
  assertEquals(await c.next(), "0:-1");
  assert.ok(
    lines.some((l) => l.includes("account.bad_hash") && l.includes("eve")),
  );
  assert.ok(
    !lines.some((l) => l.includes("not a hash")),
    "the hash is never logged",
  );
  assert.ok((await c.login("ada", "s3cret")) > 0);
});

Deno.test("accounts: repeated failures are slowed down, the real user still gets in", async () => {
  const waits: number[] = [];
  let clock = 0;
  await using t = await startAccountsServer({
    accounts: { ada: "s3cret" },
    auth: {
      now: () => clock,
      // No real time passes: the fake clock moves by the requested wait.
      sleep: (ms) => {
        waits.push(ms);
        clock += ms;
        return Promise.resolve();
      },
    },
  });
  const attacker = await t.client();
  for (let i = 0; i < 8; i++) {
    await attacker.send(`0:ada:guess${i}`);
    assertEquals(await attacker.next(), "0:-1");
  }
  assertEquals(waits, [250, 500, 1000]);
  const real = await t.client();
  assert.ok((await real.login("ada", "s3cret")) > 0);
  assertEquals(waits.at(-1), 2000, "the real user waited too, but got in");
  clock += 60_000;
  const later = await t.client();
  await later.send("0:ada:typo");
  assertEquals(await later.next(), "0:-1");
  assertEquals(waits.length, 4, "a success cleared the username's failures");
});

Deno.test("accounts: other clients' messages keep flowing during a burst of slow logins", async () => {
  // Hashes that take a while (64 MiB, a quarter second or more each), so a
  // hash that blocked the event loop would hold up the chat below.
  const slow = { N: 65_536, r: 8, p: 1 };
  const hasher = new PasswordHasher({ params: CHEAP_SCRYPT });
  await using t = await startAccountsServer({
    accounts: { ada: "pw", bob: "pw" },
    hasher,
  });
  const slowHasher = new PasswordHasher({ params: slow });
  const names = Array.from({ length: 6 }, (_, i) => `burst${i}`);
  for (const name of names) {
    await t.store.addAccount({
      username: name,
      passwordHash: await slowHasher.hash("pw"),
    });
  }
  const ada = await t.member("ada", "chat");
  const bob = await t.member("bob", "chat");
  await ada.sync();
  const burst = await Promise.all(names.map(() => t.client()));
  await Promise.all(burst.map((c, i) => c.send(`0:${names[i]}:pw`)));
  let answered = 0;
  const logins = Promise.all(burst.map(async (c) => {
    const line = await c.next(30_000);
    answered++;
    return line;
  }));
  for (let i = 0; i < 20; i++) {
    await ada.send(`3:0:ping ${i}`);
    assertEquals(await bob.next(), `3:${ada.id}:ping ${i}`);
    await bob.send(`3:0:pong ${i}`);
    assertEquals(await ada.next(), `3:${bob.id}:pong ${i}`);
  }
  const answeredDuringChat = answered;
  const replies = await logins;
  assert.ok(
    replies.every((l) => /^0:\d+(:[0-9a-f]{32})?$/.test(l)),
    replies.join(" "),
  );
  assert.ok(
    answeredDuringChat < names.length,
    `40 relayed messages went through before the last of ${names.length} logins was answered (${answeredDuringChat} were)`,
  );
});
