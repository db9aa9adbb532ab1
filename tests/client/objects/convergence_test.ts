/**
 * The convergence property: several clients against a real server run
 * random steps of instantiate / update / take-ownership (several at once on
 * one object) / destroy / join / leave (the master too), a few operations
 * of different clients at a time; once the traffic settles every client's
 * table is identical and every object has one owner who is in the scene.
 *
 * Reproduce a failure with the seed and path fast-check prints:
 * `SCENE_SEED=… SCENE_PATH=… deno test -A tests/client/objects/convergence_test.ts`.
 */
import fc from "fast-check";
import { assertEquals } from "../../helpers/assert.ts";
import { rawText } from "../../helpers/incoming.ts";
import { NO_RATE_LIMIT, startServer } from "../../helpers/server.ts";
import { ScenePeer, settle } from "../../helpers/scene_peers.ts";
import type { FieldValue, SceneOptions } from "../../../client/mod.ts";

const PEERS = 4;
const decoder = new TextDecoder();
const RUNS = Number(Deno.env.get("SCENE_RUNS") ?? 25);
const OPTIONS: SceneOptions = {
  tickHz: 50,
  syncTimeoutMs: 30_000,
  sceneObjects: [
    { type: "door", fields: { open: false, angle: 0 } },
    { type: "lamp", fields: { color: [1, 1, 1], label: "hall" } },
  ],
};
/**
 * Odd peers open their UDP channel and send updates over it: datagrams
 * cross the TCP traffic in any order, and a reliable full update follows.
 */
const UDP_OPTIONS: SceneOptions = {
  ...OPTIONS,
  channel: "udp",
  reliableAfterMs: 20,
};

const actor = fc.nat({ max: PEERS - 1 });
const pick = fc.nat({ max: 1000 });
const fieldValues = fc.record({
  pos: fc.tuple(fc.double(), fc.double(), fc.double()),
  rot: fc.tuple(fc.double(), fc.double(), fc.double(), fc.double()),
  name: fc.string({ unit: "binary", maxLength: 12 }),
  on: fc.boolean(),
  blob: fc.uint8Array({ maxLength: 12 }),
  hp: fc.double(),
}, { requiredKeys: [] });

type Op =
  | { kind: "instantiate"; actor: number; bound: boolean }
  | {
    kind: "set";
    actor: number;
    pick: number;
    values: Record<string, FieldValue>;
    flush: boolean;
  }
  | { kind: "claim"; actors: number[]; pick: number }
  | { kind: "destroy"; actor: number; pick: number }
  | { kind: "leave"; actor: number }
  | { kind: "leave-master" }
  | { kind: "join"; actor: number; during: Op[]; answered: Op[] }
  | { kind: "flush"; actor: number };

/** Operations other than joins. */
const action: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("instantiate" as const),
      actor,
      bound: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      actor,
      pick,
      values: fieldValues,
      flush: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("claim" as const),
      actors: fc.uniqueArray(actor, { minLength: 1, maxLength: 3 }),
      pick,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("destroy" as const),
      actor,
      pick,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("leave" as const), actor }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("leave-master" as const) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("flush" as const), actor }),
  },
);

/**
 * A join, with operations of others started the moment the joiner sends
 * its hello (`during`) and the moment the first answer reaches it
 * (`answered`): they reach the server around the hello and the answers, so
 * that the joiner must catch up with claims, updates and departures under
 * way (a member leaving then may never answer, and the joiner must ask
 * again).
 */
const join: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant("join" as const),
  actor,
  during: fc.array(action, { maxLength: 3 }),
  answered: fc.array(action, { maxLength: 3 }),
});

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: action },
  { weight: 1, arbitrary: join },
);

/** Steps of 1 to 3 operations started together. */
const steps = fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), {
  minLength: 10,
  maxLength: 40,
});

const THING = {
  pos: [0, 0, 0],
  rot: [0, 0, 0, 1],
  name: "thing",
  on: false,
  blob: new Uint8Array([1, 2, 3]),
  hp: 100,
};

/** Runs one operation; outcomes of claims and destroys are left in `pending`. */
async function run(
  o: Op,
  peers: ScenePeer[],
  room: string,
  pending: Promise<unknown>[],
): Promise<void> {
  const sorted = (p: ScenePeer) => [...p.scene!.objects.keys()].sort();
  switch (o.kind) {
    case "instantiate": {
      const p = peers[o.actor]!;
      if (p.inScene) {
        p.scene!.instantiate("thing", THING, { boundToOwner: o.bound });
      }
      return;
    }
    case "set": {
      const p = peers[o.actor]!;
      if (!p.inScene) return;
      const mine = sorted(p).map((id) => p.scene!.get(id)!).filter((x) =>
        x.isMine
      );
      const target = mine[o.pick % Math.max(1, mine.length)];
      if (target === undefined) return;
      for (const [name, value] of Object.entries(o.values)) {
        if (
          target.fieldNames.includes(name) &&
          typeof value === typeof target.get(name)
        ) {
          target.set(name, value);
        }
      }
      if (o.flush) p.scene!.flush();
      return;
    }
    case "claim": {
      const first = peers[o.actors[0]!]!;
      if (!first.inScene) return;
      const ids = sorted(first);
      const id = ids[o.pick % Math.max(1, ids.length)];
      if (id === undefined) return;
      for (const a of o.actors) {
        const p = peers[a]!;
        if (p.inScene && p.scene!.get(id) !== undefined) {
          pending.push(p.scene!.takeOwnership(id));
        }
      }
      return;
    }
    case "destroy": {
      const p = peers[o.actor]!;
      if (!p.inScene) return;
      const mine = sorted(p).filter((id) => p.scene!.get(id)!.isMine);
      const id = mine[o.pick % Math.max(1, mine.length)];
      if (id !== undefined) pending.push(p.scene!.destroy(id));
      return;
    }
    case "leave": {
      const p = peers[o.actor]!;
      if (p.inScene && !p.busy) await p.leave();
      return;
    }
    case "leave-master": {
      const viewer = peers.find((p) => p.inScene);
      const master = peers.find((p) =>
        p.inScene && p.id === viewer?.scene?.master
      );
      if (master !== undefined && !master.busy) await master.leave();
      return;
    }
    case "join": {
      const p = peers[o.actor]!;
      if (p.inScene || p.busy) return;
      const started: Promise<void>[] = [];
      let hello = false;
      let answer = false;
      const start = (ops: Op[]) =>
        started.push(...ops.map((d) => run(d, peers, room, pending)));
      const offSent = p.client.onSent((line) => {
        if (!hello && decoder.decode(line).startsWith("3:3:H ")) {
          hello = true;
          start(o.during);
        }
      });
      const offHeard = p.client.onMessage((incoming) => {
        if (!answer && /^3:\d+:E /.test(rawText(incoming))) {
          answer = true;
          start(o.answered);
        }
      });
      try {
        await p.join(room);
      } finally {
        offSent();
        offHeard();
      }
      await Promise.all(started);
      return;
    }
    case "flush": {
      const p = peers[o.actor]!;
      if (p.inScene) p.scene!.flush();
      return;
    }
  }
}

/** Throws unless every peer in the scene has the same table, owned by participants. */
function checkConverged(peers: ScenePeer[]): void {
  const inScene = peers.filter((p) => p.inScene);
  if (inScene.length === 0) return;
  const ids = inScene.map((p) => p.id);
  const [first, ...rest] = inScene;
  const table = first!.scene!.snapshot();
  for (const p of inScene) {
    assertEquals(
      [...p.scene!.participants].sort(),
      [...ids].sort(),
      `${p.name}'s participants`,
    );
  }
  for (const p of rest) {
    assertEquals(
      p.scene!.snapshot(),
      table,
      `${p.name}'s table differs from ${first!.name}'s`,
    );
  }
  for (const object of table) {
    if (!ids.includes(object.owner)) {
      throw new Error(
        `${object.id} is owned by ${object.owner}, not in the scene (${ids})`,
      );
    }
  }
}

Deno.test("objects: every client's table converges after random concurrent traffic", async () => {
  await using t = await startServer({ limits: NO_RATE_LIMIT });
  let runNo = 0;
  const seed = Deno.env.get("SCENE_SEED");
  const path = Deno.env.get("SCENE_PATH");
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: PEERS - 1 }),
      steps,
      fc.boolean(),
      async (starters, plan, everyone) => {
        const room = `conv-${++runNo}`;
        const peers: ScenePeer[] = [];
        try {
          for (let i = 0; i < PEERS; i++) {
            peers.push(
              await ScenePeer.connect(
                t.port,
                `p${runNo}-${i}`,
                i % 2 === 0 ? OPTIONS : UDP_OPTIONS,
              ),
            );
          }
          for (let i = 0; i <= starters; i++) {
            await peers[i]!.join(room);
          }
          const pending: Promise<unknown>[] = [];
          for (const step of plan) {
            await Promise.all(step.map((o) => run(o, peers, room, pending)));
          }
          if (everyone) {
            // Whoever is out joins now, all at once, while updates flow.
            await Promise.all(peers.map((p) => {
              if (p.inScene) {
                return run(
                  { kind: "flush", actor: peers.indexOf(p) },
                  peers,
                  room,
                  pending,
                );
              }
              return p.busy ? Promise.resolve() : p.join(room).then(() => {});
            }));
          }
          await settle(peers);
          await Promise.all(pending);
          checkConverged(peers);
        } finally {
          for (const p of peers) await p[Symbol.asyncDispose]();
        }
      },
    ),
    {
      numRuns: RUNS,
      // Bounded in time too: runs left when a minute is up are skipped.
      interruptAfterTimeLimit: 60_000,
      markInterruptAsFailure: false,
      endOnFailure: true,
      ...(seed === undefined ? {} : { seed: Number(seed) }),
      ...(path === undefined ? {} : { path }),
    },
  );
});
