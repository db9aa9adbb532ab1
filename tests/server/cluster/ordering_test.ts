/**
 * A seeded property test of the ordering guarantees across nodes: three
 * senders on three nodes write their whole mix of `3:3` and `3:0` at once
 * (no pacing), a listener on every node, one client joining in the middle
 * and one sender leaving as soon as it has written. Every receiver must see
 * one order of the ordered messages, each sender's messages in the order
 * sent (none lost), and no message from a user outside the membership it
 * has been told of.
 */
import fc from "fast-check";
import { assertEquals } from "../../helpers/assert.ts";
import { type Member, startDeployment } from "../../helpers/deployment.ts";
import { redisAvailability } from "../../helpers/redis.ts";

const redis = await redisAvailability();

/** One run: per sender, its modes in order (true: 3:3, false: 3:0). */
interface Plan {
  readonly senders: readonly (readonly boolean[])[];
  /** After how many of sender 0's lines the late client joins. */
  readonly lateAfter: number;
}

const plan: fc.Arbitrary<Plan> = fc.record({
  senders: fc.tuple(
    fc.array(fc.boolean(), { minLength: 20, maxLength: 150 }),
    fc.array(fc.boolean(), { minLength: 20, maxLength: 150 }),
    fc.array(fc.boolean(), { minLength: 1, maxLength: 150 }),
  ),
  lateAfter: fc.nat({ max: 19 }),
});

/** A message as a receiver saw it. */
interface Seen {
  readonly from: number;
  readonly payload: string;
}

/**
 * Reads `client`'s lines until `stop` matches, checking membership as it
 * goes: every message must come from a member this client knows is in.
 */
async function collect(
  client: Member,
  room: string,
  stop: RegExp,
  present: Set<number>,
): Promise<Seen[]> {
  const seen: Seen[] = [];
  while (true) {
    const line = await client.next(20_000);
    let match: RegExpExecArray | null;
    if ((match = /^2:(\d+):(.*)$/.exec(line)) !== null) {
      const id = Number(match[1]);
      if (match[2] === room) present.add(id);
      else if (match[2] === "") present.delete(id);
    } else if ((match = /^3:(\d+):(.*)$/.exec(line)) !== null) {
      const from = Number(match[1]);
      if (!present.has(from)) {
        throw new Error(
          `${client.id} got ${line} from a user it does not know is in ${room}`,
        );
      }
      seen.push({ from, payload: match[2]! });
    }
    if (stop.test(line)) return seen;
  }
}

function ordered(seen: readonly Seen[]): string[] {
  return seen.filter((s) => s.payload.includes(":o")).map((s) => s.payload);
}

function fromSender(seen: readonly Seen[], id: number): string[] {
  return seen.filter((s) => s.from === id).map((s) => s.payload);
}

Deno.test({
  name: `cluster ordering: senders on three nodes mixing 3:3 and 3:0${
    redis.available ? "" : ` (skipped: ${redis.reason})`
  }`,
  ignore: !redis.available,
  async fn() {
    await using d = await startDeployment({
      args: [
        "--max-messages-per-second",
        "1000000",
        "--message-burst",
        "1000000",
      ],
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(plan, async ({ senders, lateAfter }) => {
        const room = `order-${++run}`;
        const name = (who: string) => `${who}${run}`;
        const listeners: Member[] = [];
        const writers: Member[] = [];
        for (let node = 0; node < 3; node++) {
          listeners.push(await d.member(name(`l${node}-`), room, node));
        }
        for (let node = 0; node < 3; node++) {
          writers.push(await d.member(name(`s${node}-`), room, node));
        }
        const late = await d.user(name("late-"), 1);
        // Everyone knows everyone present before the traffic starts.
        const everyone = [...listeners, ...writers];
        const known = new Map<Member, Set<number>>(
          everyone.map((c) => [c, new Set(everyone.map((o) => o.id))]),
        );
        for (const c of everyone) {
          const joinsAfter = everyone.length - 1 - everyone.indexOf(c);
          await c.take(joinsAfter);
        }
        const lines = senders.map((modes, s) =>
          modes.map((ordered, i) =>
            ordered ? `3:3:s${s}:o${i}` : `3:0:s${s}:u${i}`
          )
        );
        const expected = lines.map((own) => own.map((l) => l.slice(4)));
        // Sender 0 writes a part, the late client joins, then the rest goes
        // out at once from every sender; sender 2 leaves right after.
        const first = lines[0]!.slice(0, lateAfter);
        if (first.length > 0) await writers[0]!.send(...first);
        await late.send(`2:${room}`);
        const end = (s: number) => `3:3:end${s}`;
        await Promise.all([
          writers[0]!.send(...lines[0]!.slice(lateAfter), end(0)),
          writers[1]!.send(...lines[1]!, end(1)),
          writers[2]!.send(...lines[2]!, end(2), "2:-1"),
        ]);
        // The late joiner learns who is in from its join lines.
        const lateKnown = new Set<number>();
        known.set(late, lateKnown);
        // Each sender waits for its own end marker: after that, everything
        // it sent is in the room's order.
        const upToEnd = await Promise.all(
          writers.map((w, s) =>
            collect(w, room, new RegExp(`^3:${w.id}:end${s}$`), known.get(w)!)
          ),
        );
        const leaver = writers[2]!;
        await collect(
          leaver,
          room,
          new RegExp(`^2:${leaver.id}:$`),
          known.get(leaver)!,
        );
        await listeners[0]!.send("3:3:done");
        const done = new RegExp(`^3:${listeners[0]!.id}:done$`);
        const stayers = [...listeners, writers[0]!, writers[1]!, late];
        const streams = await Promise.all(
          stayers.map((c, i) =>
            collect(c, room, done, known.get(c)!).then((rest) =>
              i === 3 || i === 4 ? [...upToEnd[i - 3]!, ...rest] : rest
            )
          ),
        );
        // One order of the ordered messages for everyone there throughout.
        const reference = ordered(streams[0]!);
        for (const stream of streams.slice(1, 5)) {
          assertEquals(ordered(stream), reference);
        }
        // The late joiner saw a suffix of that order.
        const lateOrdered = ordered(streams[5]!);
        assertEquals(
          lateOrdered,
          reference.slice(reference.length - lateOrdered.length),
        );
        // Per-sender FIFO, nothing lost, for the ones there throughout.
        for (const [i, stream] of streams.slice(0, 5).entries()) {
          const self = stayers[i]!;
          for (const [s, writer] of writers.entries()) {
            const mine = self === writer;
            const want = expected[s]!.filter((p) => !mine || p.includes(":o"))
              .concat(`end${s}`);
            assertEquals(fromSender(stream, writer.id), want);
          }
        }
        for (const [s, writer] of writers.entries()) {
          const got = fromSender(streams[5]!, writer.id);
          const want = [...expected[s]!, `end${s}`];
          assertEquals(got, want.slice(want.length - got.length));
        }
        for (const c of [...stayers, leaver]) await c.close();
      }),
      { seed: 13_013, numRuns: 4, endOnFailure: true },
    );
  },
});
