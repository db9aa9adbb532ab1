/**
 * Bytes on the wire per update of a network object, with change flags (only
 * the changed fields, with a mask; nothing on a tick where nothing changed)
 * versus sending the full state every tick, for a typical transform object:
 * `pos` (3-vector) and `rot` (quaternion). An owner's NetworkScene drives
 * the object through a motion trace tick by tick against a real server (its
 * own process); the sender's lines (`3:0:…\n`) and one receiver's lines
 * (`3:<id>:…\n`) are counted as they cross the sockets. The full-state
 * figures encode, for the same ticks, the update a full-state sender would
 * send: every field, every tick.
 *
 * @example
 * ```sh
 * deno run -A bench/objects_bytes.ts --ticks 2000
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import {
  NetworkScene,
  RelayClient,
  vec3,
  vec4,
  type Vector,
} from "../client/mod.ts";
import { encodeSceneMessage } from "../client/objects/scene_codec.ts";
import { encodeValue } from "../client/objects/value_codec.ts";
import { startLocalServer } from "./local_server.ts";

const { values: flags } = parseArgs({
  options: { ticks: { type: "string", default: "2000" } },
});
const TICKS = Number(flags.ticks);

/** A motion trace: what changes on each tick. */
interface Scenario {
  readonly name: string;
  /** Chance per tick that the position changes. */
  readonly move: number;
  /** Chance per tick that the rotation changes. */
  readonly turn: number;
  /** Decimals kept (mm for positions, 1e-4 for quaternions), or none. */
  readonly quantize: boolean;
}

const SCENARIOS: Scenario[] = [
  {
    name: "walking (pos every tick, rot 25%)",
    move: 1,
    turn: 0.25,
    quantize: true,
  },
  { name: "moving and turning every tick", move: 1, turn: 1, quantize: true },
  { name: "turning in place", move: 0, turn: 1, quantize: true },
  {
    name: "mostly at rest (moves 10% of ticks)",
    move: 0.1,
    turn: 0.02,
    quantize: true,
  },
  { name: "walking, unrounded doubles", move: 1, turn: 0.25, quantize: false },
];

/** A seeded generator, so that runs compare. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const utf8 = new TextEncoder();
const decoder = new TextDecoder();

interface Result {
  readonly scenario: Scenario;
  readonly updates: number;
  readonly sent: number;
  readonly received: number;
  readonly fullSent: number;
  readonly fullReceived: number;
}

async function run(
  port: number,
  scenario: Scenario,
  n: number,
): Promise<Result> {
  await using owner = await RelayClient.connect({ port });
  await using watcher = await RelayClient.connect({ port });
  await owner.login(`owner${n}`);
  await watcher.login(`watcher${n}`);
  const room = `bytes${n}`;
  await using scene = await NetworkScene.join(owner, room, { tickHz: 1 });
  await using view = await NetworkScene.join(watcher, room, { tickHz: 1 });
  const rand = random(n);
  const q = (x: number, d: number) =>
    scenario.quantize ? Math.round(x * 10 ** d) / 10 ** d : x;
  let x = 0, z = 0, yaw = 0;
  const pose = () => ({
    pos: vec3(q(x, 3), 0, q(z, 3)),
    rot: vec4(0, q(Math.sin(yaw / 2), 4), 0, q(Math.cos(yaw / 2), 4)),
  });
  const object = scene.instantiate("avatar", pose());
  await new Promise<void>((resolve) => {
    const off = view.on("created", () => (off(), resolve()));
  });
  let sent = 0, received = 0, updates = 0, fullSent = 0, fullReceived = 0;
  owner.onSent((line) => {
    if (decoder.decode(line.subarray(0, 6)) === "3:0:U ") {
      sent += line.length;
      updates++;
    }
  });
  const done = new Promise<void>((resolve) => {
    watcher.onMessage(({ raw }) => {
      const text = decoder.decode(raw);
      if (/^3:\d+:U /.test(text)) received += raw.length + 1;
      if (text.endsWith(":#end")) resolve();
    });
  });
  const ownerPrefix = `3:${owner.sessionId}:`.length;
  for (let tick = 1; tick <= TICKS; tick++) {
    if (rand() < scenario.move) {
      x += (rand() - 0.5) * 0.2;
      z += (rand() - 0.5) * 0.2;
    }
    if (rand() < scenario.turn) yaw += (rand() - 0.5) * 0.3;
    const { pos, rot } = pose();
    object.set("pos", pos).set("rot", rot);
    scene.flush();
    const full = fullUpdate(tick, object.id, pos, rot);
    fullSent += "3:0:".length + full + 1;
    fullReceived += ownerPrefix + full + 1;
    if (tick % 500 === 0) await new Promise((r) => setTimeout(r, 0));
  }
  await owner.sendToOthers("#end");
  await done;
  return { scenario, updates, sent, received, fullSent, fullReceived };
}

/** Bytes of `U <seq> <id> 3 <pos> <rot>`: every field. */
function fullUpdate(seq: number, id: string, pos: Vector, rot: Vector): number {
  const text = encodeSceneMessage({
    kind: "update",
    seq,
    entries: [{
      id,
      mask: 3,
      values: [encodeValue("v", pos), encodeValue("v", rot)],
    }],
  });
  return utf8.encode(text).length;
}

const server = await startLocalServer(["--log-level", "error", "--no-udp"]);
try {
  console.log(
    `${TICKS} ticks per scenario; bytes are application bytes in the TCP stream (TCP/IP headers not counted)\n`,
  );
  console.log(
    "| scenario | updates sent | bytes per tick: change flags | full state | saved | bytes per update: change flags | full state |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  let n = 0;
  for (const scenario of SCENARIOS) {
    const r = await run(server.port, scenario, ++n);
    if (r.received !== r.sent || r.fullReceived !== r.fullSent) {
      // `3:0:` and `3:<id>:` differ once the sender's id has two digits.
      console.log(
        `|   received per tick | | ${(r.received / TICKS).toFixed(1)} | ${
          (r.fullReceived / TICKS).toFixed(1)
        } | | | |`,
      );
    }
    console.log(
      `| ${scenario.name} | ${r.updates} | ${(r.sent / TICKS).toFixed(1)} | ${
        (r.fullSent / TICKS).toFixed(1)
      } | ${(100 * (1 - r.sent / r.fullSent)).toFixed(0)}% | ${
        r.updates === 0 ? "-" : (r.sent / r.updates).toFixed(1)
      } | ${(r.fullSent / TICKS).toFixed(1)} |`,
    );
  }
} finally {
  await server.stop();
}
