/** `serve` as a child under SIGTERM: under load, with a stalled client, twice. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { LineClient } from "../helpers/line_client.ts";
import { serveChild } from "../helpers/cli.ts";

const NO_RATE = [
  "--max-messages-per-second",
  "1000000",
  "--message-burst",
  "1000000",
];

async function serve(...args: string[]) {
  const child = await serveChild([...NO_RATE, ...args]);
  return { child, port: child.port };
}

Deno.test("shutdown: SIGTERM under load exits 0; every member saw the same messages and its leave", async () => {
  const { child, port } = await serve();
  await using _ = child;
  const members: (LineClient & { id: number })[] = [];
  for (let i = 0; i < 12; i++) {
    const c = await LineClient.connect(port);
    const id = await c.login(`u${i}`);
    await c.send(`2:room${i % 2}`);
    members.push(Object.assign(c, { id }));
  }
  for (const m of members) await m.sync();
  // Four senders (two per room) talk in paced bursts until the server stops.
  const senders = members.slice(0, 4);
  let sent = 0;
  const talking = senders.map(async (s) => {
    try {
      for (let seq = 0;; seq += 50) {
        const lines = Array.from({ length: 50 }, (_, i) => `3:3:${seq + i}`);
        await s.send(...lines);
        sent += 50;
        const last = `3:${s.id}:${seq + 49}`;
        while ((await s.next()) !== last);
      }
    } catch {
      // the server closed this connection: shutdown
    }
  });
  while (sent < 2_000) await members[11]!.sync();
  child.process.kill("SIGTERM");
  const status = await child.process.status;
  await Promise.all(talking);
  assertEquals(status.code, 0);
  for (const m of members) await m.closed();
  for (const room of [0, 1]) {
    const inRoom = members.filter((_, i) => i % 2 === room);
    const views = inRoom.map((m) =>
      m.history.filter((l) => l.startsWith("3:"))
    );
    for (const view of views.slice(1)) {
      assert.deepStrictEqual(view, views[0], `room${room}: one order, no loss`);
    }
    assert.ok(views[0]!.length >= 500, `room${room} heard ${views[0]!.length}`);
    for (const m of inRoom) {
      const end = m.history.indexOf(
        "9:0:shutting-down:the server is shutting down",
      );
      assert.ok(end >= 0, `u${m.id} was told why`);
      assertEquals(
        m.history.slice(end + 1, end + 3),
        ["0:-1", `2:${m.id}:`],
        `u${m.id}: logged out, then its leave`,
      );
    }
  }
  assert.match(await child.stderrText(), /event=server\.stopped code=0/);
});

Deno.test("shutdown: a client that never reads cannot hold up exit; a second signal forces exit 1", async () => {
  for (const signals of [1, 2]) {
    // Neither the hard cap nor the stall timeout may end the stalled client
    // before the signal: what is tested is that shutdown does not wait for it.
    const { child, port } = await serve(
      "--max-outbound-bytes",
      "67108864",
      "--stall-timeout",
      "3600",
    );
    await using _ = child;
    await using reader = await LineClient.connect(port);
    await reader.login("reader");
    // The stalled client reads its login answer, then never reads again.
    const stalled = await Deno.connect({ hostname: "127.0.0.1", port });
    await stalled.write(new TextEncoder().encode("0:stalled:pw\n"));
    const answer = new Uint8Array(64);
    const n = await stalled.read(answer);
    const stalledId = new TextDecoder().decode(answer.subarray(0, n!)).trim();
    assert.match(stalledId, /^0:\d+(:[0-9a-f]{32})?$/);
    // Far more than the kernel buffers hold stays queued in the server.
    const chunk = `3:4:${stalledId.split(":")[1]}:${"y".repeat(60_000)}`;
    await reader.send(...Array.from({ length: 400 }, () => chunk));
    // The reader is held by the stalled client for the hold time, then not.
    assertEquals(await reader.sync(20_000), []);
    child.process.kill("SIGTERM");
    await reader.closed();
    if (signals === 2) child.process.kill("SIGTERM");
    const status = await child.process.status;
    stalled.close();
    const logs = await child.stderrText();
    if (signals === 1) {
      assertEquals(status.code, 0, logs);
      assert.match(logs, /event=server\.stopped code=0/);
    } else {
      assertEquals(status.code, 1, logs);
      assert.match(logs, /event=server\.forced_exit signal=SIGTERM/);
    }
  }
});
