/** Ordering guarantees under concurrent senders. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import type { LineClient } from "../helpers/line_client.ts";
import { NO_RATE_LIMIT, startServer } from "../helpers/server.ts";

const SENDERS = 4;
const PER_SENDER = 1500;

function burst(mode: number, tag: number): string[] {
  return Array.from({ length: PER_SENDER }, (_, i) => `3:${mode}:${tag}:${i}`);
}

async function room(size: number) {
  const t = await startServer({ limits: NO_RATE_LIMIT });
  const members: (LineClient & { id: number })[] = [];
  for (let i = 0; i < size; i++) members.push(await t.member(`u${i}`, "r"));
  for (const m of members) await m.sync();
  return { t, members };
}

Deno.test("ordering: each sender's messages reach each receiver in the order sent", async () => {
  const { t, members } = await room(SENDERS + 1);
  await using _ = t;
  const [watcher, ...senders] = members;
  await Promise.all(senders.map((s, k) => s.send(...burst(0, k))));
  const lines = await watcher!.take(SENDERS * PER_SENDER);
  const next = new Map<string, number>();
  for (const line of lines) {
    const [, from, tag, seq] = line.split(":");
    assert.equal(
      Number(seq),
      next.get(from!) ?? 0,
      `sender ${from} (tag ${tag}) out of order`,
    );
    next.set(from!, Number(seq) + 1);
  }
  assertEquals([...next.values()], Array(SENDERS).fill(PER_SENDER));
});

Deno.test("ordering: 3:3 gives every member the same total order", async () => {
  const { t, members } = await room(SENDERS);
  await using _ = t;
  await Promise.all(members.map((m, k) => m.send(...burst(3, k))));
  const views = await Promise.all(
    members.map((m) => m.take(SENDERS * PER_SENDER)),
  );
  for (const view of views.slice(1)) assert.deepStrictEqual(view, views[0]);
  assert.ok(new Set(views[0]).size === SENDERS * PER_SENDER);
});

Deno.test("ordering: 3:2 from several senders is one order for all the others", async () => {
  const { t, members } = await room(SENDERS + 2);
  await using _ = t;
  const senders = members.slice(0, SENDERS);
  const watchers = members.slice(SENDERS);
  await Promise.all(senders.map((m, k) => m.send(...burst(2, k))));
  const views = await Promise.all(
    watchers.map((m) => m.take(SENDERS * PER_SENDER)),
  );
  assert.deepStrictEqual(views[1], views[0]);
});

Deno.test("ordering: nobody hears from a user before its join, or after its leave", async () => {
  await using t = await startServer();
  const watcher = await t.member("w", "r");
  const chatty = await t.user("chatty");
  await chatty.send(
    "2:r",
    ...Array.from({ length: 200 }, (_, i) => `3:0:${i}`),
    "2:-1",
  );
  const lines = await watcher.take(1 + 200 + 1);
  assertEquals(lines[0], `2:${chatty.id}:r`);
  assertEquals(lines.at(-1), `2:${chatty.id}:`);
  assert.ok(lines.slice(1, -1).every((l) => l.startsWith(`3:${chatty.id}:`)));
  // A member who joins while another talks learns of the talker before hearing it.
  const talker = await t.member("talker", "r");
  await watcher.sync();
  let talking = true;
  const talk = (async () => {
    // Paced by its own echo, so it is still talking when `late` joins.
    for (let i = 0; talking; i++) {
      await talker.send(`3:1:${i}`);
      while (!(await talker.next()).startsWith(`3:${talker.id}:`));
    }
  })();
  const late = await t.user("late");
  await late.send("2:r");
  const known = new Set<string>();
  for (let heard = 0; heard < 20;) {
    const line = await late.next();
    const [kind, id] = line.split(":");
    if (kind === "2") known.add(id!);
    if (kind === "3") {
      assert.ok(known.has(id!), `message from ${id} before its join: ${line}`);
      heard++;
    }
  }
  talking = false;
  await talk;
});
