/** Bad input is refused, contained to its connection, and leaves no ghost. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../helpers/assert.ts";
import { NO_RATE_LIMIT, startServer } from "../helpers/server.ts";

Deno.test("bad input: unknown and malformed lines get the error line, empty lines nothing; the connection lives", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  await a.send("8:what", "3:7:x", "", "2:a:b:c", "nonsense", "\r", "");
  assert.match(await a.next(), /^9:8:unknown-command:/);
  assert.match(await a.next(), /^9:3:malformed:/);
  assert.match(await a.next(), /^9:2:invalid-name:/);
  assert.match(await a.next(), /^9:\?:unknown-command:/);
  await a.send("3:1:fine");
  assertEquals(await a.next(), `3:${a.id}:fine`, "empty lines are keepalives");
});

Deno.test("bad input: an over-long line closes that connection only", async () => {
  await using t = await startServer({ limits: { maxLineBytes: 1024 } });
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.sync();
  await b.write(new TextEncoder().encode("3:0:" + "x".repeat(2000)));
  assert.match(await b.next(), /^9:\?:line-too-long:/);
  assertEquals(await b.next(), `2:${b.id}:`);
  await b.closed();
  assertEquals(await a.next(), `2:${b.id}:`);
  await a.send("1:");
  assertEquals(await a.next(), "1:r-1", "no ghost left in the room");
});

Deno.test("bad input: a 10 MB line without newline is cut off, others unaffected", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.sync();
  const huge = new Uint8Array(10 * 1024 * 1024).fill(0x41);
  await b.write(huge).catch(
    () => {/* the server may reset before all of it is sent */},
  );
  await b.closed();
  assertEquals(await a.next(), `2:${b.id}:`);
  assertEquals(t.server.sessionCount, 1, "no ghost session");
  await a.send("3:1:alive");
  assertEquals(await a.next(), `3:${a.id}:alive`);
});

Deno.test("bad input: random bytes from several clients never disturb a bystander", async () => {
  await using t = await startServer({
    limits: { maxLineBytes: 512, ...NO_RATE_LIMIT },
  });
  const speaker = await t.member("speaker", "r");
  const listener = await t.member("listener", "r");
  await speaker.sync();
  const noise = fc.sample(
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.constantFrom("0:", "2:r", "2:-1", "3:0:", "3:4:", "5:g:1", "1:").map((
        p,
      ) => new TextEncoder().encode(p)),
    ),
    { numRuns: 3000, seed: 42 },
  );
  const noisy = await Promise.all([0, 1, 2].map(() => t.client()));
  await Promise.all(noisy.map(async (c, k) => {
    await c.login(`noisy${k}`);
    for (let i = k; i < noise.length; i += noisy.length) {
      const newline = Uint8Array.of(10);
      await c.write(Uint8Array.from([...noise[i]!, ...newline])).catch(
        () => {},
      );
    }
  }));
  await speaker.send(...Array.from({ length: 100 }, (_, i) => `3:0:${i}`));
  const heard: string[] = [];
  while (heard.length < 100) {
    const line = await listener.next();
    if (line.startsWith(`3:${speaker.id}:`)) heard.push(line);
  }
  assertEquals(
    heard,
    Array.from({ length: 100 }, (_, i) => `3:${speaker.id}:${i}`),
  );
  for (const c of noisy) await c.close();
  await speaker.send("1:");
  let list = await speaker.next();
  while (!list.startsWith("1:")) list = await speaker.next();
  assert.match(
    list,
    /(^1:|,)r-2(,|$)/,
    "only the two real members remain in r",
  );
});
