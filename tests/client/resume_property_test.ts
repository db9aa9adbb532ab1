/**
 * The property of resume, seeded (fast-check): two RelayClients with
 * `reconnect`, each behind a proxy the test controls, send to each other
 * without pacing in every mode (room, ordered, `3:4`, group) while their
 * connections are cut again and again at random byte counts — in either
 * direction, so mostly in the middle of a line, and sometimes again in the
 * middle of the resume that follows. Afterwards each has received exactly
 * the other's lines, in order, none missing, none twice; a third member,
 * connected directly, got every room line of both exactly once and saw no
 * one leave; the sessions, the groups and the master are those of before.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../helpers/assert.ts";
import { EventLog } from "../helpers/client_events.ts";
import { CutProxy, type Direction } from "../helpers/cut_proxy.ts";
import { NO_RATE_LIMIT, startServer } from "../helpers/server.ts";
import { RelayClient } from "../../client/mod.ts";
import { createLogger } from "../../server/mod.ts";

const utf8 = new TextDecoder();

interface Cut {
  /** Whose connection: 0 is ada's, 1 bob's. */
  readonly who: 0 | 1;
  readonly dir: Direction;
  readonly bytes: number;
  /** Also cut the connection of the resume that follows, after this many bytes. */
  readonly again: { readonly dir: Direction; readonly bytes: number } | null;
}

const direction = fc.constantFrom<Direction>("up", "down");
const cut: fc.Arbitrary<Cut> = fc.record({
  who: fc.constantFrom<0 | 1>(0, 1),
  dir: direction,
  bytes: fc.integer({ min: 1, max: 6_000 }),
  again: fc.option(
    fc.record({ dir: direction, bytes: fc.integer({ min: 1, max: 400 }) }),
    { freq: 2 },
  ),
});

/** A small seeded generator for the traffic (sizes, modes, batch lengths). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One side's traffic: unpaced batches in every mode until stopped; `sent`
 * gets every payload, `room` those that went to the whole room.
 */
function talk(
  client: RelayClient,
  other: number,
  name: string,
  random: () => number,
  sent: { all: string[]; room: string[] },
  stop: { now: boolean },
): Promise<void> {
  return (async () => {
    let seq = 0;
    while (!stop.now) {
      const batch: Promise<void>[] = [];
      const n = 1 + Math.floor(random() * 40);
      for (let i = 0; i < n; i++) {
        const payload = `${name} ${seq++} ${
          "x".repeat(Math.floor(random() * 1500))
        }`;
        sent.all.push(payload);
        const mode = Math.floor(random() * 4);
        if (mode < 2) sent.room.push(payload);
        batch.push(
          mode === 0
            ? client.sendToOthers(payload)
            : mode === 1
            ? client.sendToOthersOrdered(payload)
            : mode === 2
            ? client.sendTo([other], payload)
            : client.sendToGroup("peer", payload),
        );
      }
      await Promise.all(batch);
    }
    sent.all.push(`${name} end`, `${name} fin`);
    sent.room.push(`${name} fin`);
    await client.sendTo([other], `${name} end`);
    await client.sendToOthers(`${name} fin`);
  })();
}

Deno.test({
  name:
    "resume property: cut at random bytes in both directions, many times; each side gets exactly the other's lines, in order; the room saw no leave",
  fn: async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(cut, { minLength: 4, maxLength: 9 }),
        fc.integer(),
        async (cuts, trafficSeed) => {
          runs++;
          await runScenario(cuts, trafficSeed);
        },
      ),
      { seed: 16_016, numRuns: 6, endOnFailure: true },
    );
    assertEquals(runs, 6);
  },
});

async function runScenario(cuts: readonly Cut[], trafficSeed: number) {
  // An away session holds nobody back, so while one is away the other
  // sends at its full line rate: the resume buffer must hold that long.
  await using t = await startServer({
    limits: { resumeBufferBytes: 64 * 1024 * 1024, ...NO_RATE_LIMIT },
    logger: createLogger({
      level: Deno.env.get("RESUME_DEBUG") ? "info" : "silent",
    }),
  });
  await using pa = CutProxy.start(t.port);
  await using pb = CutProxy.start(t.port);
  // A small resend window: senders wait for acknowledgements often.
  const reconnect = {
    minDelayMs: 10,
    maxDelayMs: 100,
    maxResendBytes: 256 * 1024,
  };
  await using ada = await RelayClient.connect({ port: pa.port, reconnect });
  await using bob = await RelayClient.connect({ port: pb.port, reconnect });
  const logs = [new EventLog(ada), new EventLog(bob)] as const;
  const adaId = await ada.login("ada");
  const bobId = await bob.login("bob");
  await ada.join("r"); // the master
  await bob.join("r");
  const cy = await t.member("cy", "r");
  await ada.defineGroup("peer", [bobId]);
  await bob.defineGroup("peer", [adaId]);
  const got: [string[], string[]] = [[], []];
  const done = [Promise.withResolvers<void>(), Promise.withResolvers<void>()];
  const collect = (
    client: RelayClient,
    from: number,
    into: string[],
    end: string,
    i: number,
  ) =>
    client.onMessage((m) => {
      const line = utf8.decode(m.raw);
      if (!line.startsWith(`3:${from}:`)) return;
      into.push(line.slice(`3:${from}:`.length));
      if (into.at(-1) === end) done[i]!.resolve();
    });
  collect(ada, bobId, got[0], "bob fin", 0);
  collect(bob, adaId, got[1], "ada fin", 1);
  const sent = [{ all: [], room: [] }, { all: [], room: [] }] as {
    all: string[];
    room: string[];
  }[];
  const stop = { now: false };
  const random = mulberry32(trafficSeed);
  // Caught at once: a failure elsewhere must not leave them unhandled.
  const traffic = [
    talk(ada, bobId, "ada", random, sent[0]!, stop),
    talk(bob, adaId, "bob", random, sent[1]!, stop),
  ].map((p) => p.then(() => null, (error: Error) => error));
  const proxies = [pa, pb] as const;
  for (const c of cuts) {
    const log = logs[c.who];
    const armed = c.again === null
      ? null
      : proxies[c.who].armNext(c.again.dir, c.again.bytes);
    const drops = log.count("disconnected");
    await proxies[c.who].cutAfter(c.dir, c.bytes);
    await log.until(() => log.count("disconnected") > drops, "dropped", 15_000);
    await armed;
    const opened = proxies[c.who].opened;
    const client = c.who === 0 ? ada : bob;
    await log.until(
      () =>
        log.count("resumed") === log.count("disconnected") &&
        client.connected && proxies[c.who].open === 1 &&
        (armed === null || proxies[c.who].opened > opened),
      "resumed",
      15_000,
    );
  }
  stop.now = true;
  for (const error of await Promise.all(traffic)) {
    if (error !== null) throw error;
  }
  await within(
    Promise.all(done.map((d) => d.promise)),
    "the last lines",
    30_000,
    () =>
      `ada got ${got[0].length} of bob's ${sent[1]!.all.length} (last ${
        got[0].at(-1)?.slice(0, 12)
      }), bob got ${got[1].length} of ada's ${sent[0]!.all.length} (last ${
        got[1].at(-1)?.slice(0, 12)
      }); events ${logs[0].types.join()} / ${logs[1].types.join()}`,
  );
  // Exactly the other's lines, in order: nothing missing, nothing twice.
  sameLines(got[0], sent[1]!.all, "bob -> ada");
  sameLines(got[1], sent[0]!.all, "ada -> bob");
  for (const log of logs) {
    assertEquals(log.count("session-ended"), 0, log.types.join());
    assert.ok(log.count("resumed") >= 1);
  }
  // The same sessions, room and master; the room saw no one leave or join.
  assertEquals([ada.sessionId, bob.sessionId], [adaId, bobId]);
  assertEquals([ada.master, bob.master], [adaId, adaId]);
  // cy, connected directly, got each one's room lines once, in order.
  for (const [id, lines] of [[adaId, sent[0]!], [bobId, sent[1]!]] as const) {
    const fin = `3:${id}:${lines.room.at(-1)}`;
    while (!cy.history.includes(fin)) await cy.next(15_000);
    const atCy = cy.history
      .filter((l) => l.startsWith(`3:${id}:`))
      .map((l) => l.slice(`3:${id}:`.length));
    assertEquals(atCy, lines.room);
  }
  const membership = cy.history.filter((l) =>
    /^[24]:/.test(l) && !l.startsWith(`2:${cy.id}:`)
  );
  assertEquals(membership, [`2:${adaId}:r`, `2:${bobId}:r`, `4:${adaId}`]);
}

/** `promise`, or a failure naming `what` after `ms`. */
async function within<T>(
  promise: Promise<T>,
  what: string,
  ms = 15_000,
  state: () => string = () => "",
) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no ${what} within ${ms} ms: ${state()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fails with the first difference (lines are shown by their first words). */
function sameLines(got: string[], sent: string[], what: string): void {
  const head = (l: string | undefined) =>
    `${l?.split(" ").slice(0, 2).join(" ")}(${l?.length})`;
  const at = got.findIndex((line, i) => line !== sent[i]);
  if (at === -1 && got.length === sent.length) return;
  const i = at === -1 ? Math.min(got.length, sent.length) : at;
  const bad = got.filter((line, j) => line !== sent[j]).length;
  const prefix = sent[i]?.startsWith(got[i] ?? "\u0000");
  const a = got[i] ?? "", b = sent[i] ?? "";
  let k = 0;
  while (k < a.length && a[k] === b[k]) k++;
  const near = (text: string) =>
    JSON.stringify(text.slice(Math.max(0, k - 10), k + 30));
  assert.fail(
    `${bad} differ; the first is a prefix: ${prefix}, from character ${k}: ${
      near(a)
    } for ${near(b)}; ` +
      `${what}: ${got.length} received, ${sent.length} sent; first difference at ${i}: received ${
        got.slice(Math.max(0, i - 2), i + 3).map(head).join(" | ")
      }; sent ${sent.slice(Math.max(0, i - 2), i + 3).map(head).join(" | ")}`,
  );
}
