/**
 * Bots sharing a scene: each walks its avatar in a circle, owns a crate,
 * and now and then grabs the ball (a scene object) or another bot's crate
 * and carries it. Watch the traffic with `deno task connect` in the same
 * room. Runs for `--seconds`, then every bot leaves and it exits 0.
 *
 *   deno task serve --auth open &
 *   deno run -A examples/shared_scene.ts --server 127.0.0.1:7777 --seconds 30
 *   deno task connect 127.0.0.1:7777     # then: /login me, /join shared-scene
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parseAddress } from "../cli/connect/address.ts";
import {
  type ChannelName,
  DEFAULT_SERVER_PORT,
  LoginRefusedError,
  type NetworkObject,
  NetworkScene,
  RelayClient,
  vec3,
  vec4,
} from "../client/mod.ts";

const USAGE =
  `usage: shared_scene.ts [--server HOST:PORT] [--room NAME] [--bots N]
  [--seconds S] [--tick HZ] [--channel tcp|udp] [--name PREFIX] [--password PW] [--seed N]`;

const { values: flags } = parseArgs({
  options: {
    server: { type: "string", default: `127.0.0.1:${DEFAULT_SERVER_PORT}` },
    room: { type: "string", default: "shared-scene" },
    bots: { type: "string", default: "3" },
    seconds: { type: "string", default: "20" },
    tick: { type: "string", default: "10" },
    channel: { type: "string", default: "tcp" },
    name: { type: "string", default: "bot" },
    password: { type: "string", default: "" },
    seed: { type: "string", default: "1" },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const bots = Number(flags.bots);
const seconds = Number(flags.seconds);
const tickHz = Number(flags.tick);
const channel = flags.channel as ChannelName;
if (
  !(bots >= 1 && bots <= 50) || !(seconds > 0) || !(tickHz > 0) ||
  (channel !== "tcp" && channel !== "udp")
) {
  console.error(USAGE);
  Deno.exit(2);
}
const { host, port } = parseAddress(flags.server, DEFAULT_SERVER_PORT);

/** A small seeded generator, so that a run can be repeated. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where a bot stands at time `t` (seconds): a circle of its own. */
function pose(i: number, t: number) {
  const angle = t * 0.8 + i;
  const pos = vec3(
    round(i * 4 + 2 * Math.cos(angle)),
    0,
    round(2 * Math.sin(angle)),
  );
  const rot = vec4(
    0,
    round(Math.sin(angle / 2)),
    0,
    round(Math.cos(angle / 2)),
  );
  return { pos, rot };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

async function bot(i: number, until: number): Promise<string> {
  const name = `${flags.name}${i}`;
  const rand = random(Number(flags.seed) * 1000 + i);
  await using client = await RelayClient.connect({ host, port });
  await client.login(name, flags.password);
  if (channel === "udp") await client.openUdp();
  await using scene = await NetworkScene.join(client, flags.room, {
    tickHz,
    channel,
    sceneObjects: [{
      type: "ball",
      fields: { pos: vec3(0, 1, 0), holder: "" },
    }],
  });
  const start = performance.now();
  const avatar = scene.instantiate(
    "avatar",
    { ...pose(i, 0), name },
    { boundToOwner: true },
  );
  scene.instantiate("crate", {
    pos: vec3(i * 4, 0, 3),
    color: vec3(rand(), rand(), rand()),
  });
  let claims = 0;
  let won = 0;
  let carrying: NetworkObject | undefined;
  let nextGrab = performance.now() + 500 + rand() * 1500;
  const others = scene.participants.length - 1;
  console.log(
    `${name} (id ${scene.self}) is in ${flags.room} with ${others} other${
      others === 1 ? "" : "s"
    }`,
  );
  while (performance.now() < until && !scene.ended) {
    const t = (performance.now() - start) / 1000;
    const { pos, rot } = pose(i, t);
    avatar.set("pos", pos).set("rot", rot);
    if (carrying?.isMine) {
      carrying.set("pos", vec3(pos[0]!, 1, pos[2]!));
    }
    if (performance.now() >= nextGrab) {
      nextGrab = performance.now() + 1000 + rand() * 2000;
      const others = [...scene.objects.values()].filter((o) =>
        o.type !== "avatar" && o.owner !== scene.self
      );
      const target = others[Math.floor(rand() * others.length)];
      if (target !== undefined) {
        claims++;
        const from = target.owner;
        scene.takeOwnership(target.id).then((ok) => {
          if (!ok) return console.log(`${name} lost the race for ${target.id}`);
          won++;
          carrying = target;
          if (target.type === "ball") target.set("holder", name);
          console.log(`${name} took ${target.type} ${target.id} from ${from}`);
        });
      }
    }
    await new Promise((r) => setTimeout(r, 1000 / tickHz));
  }
  const summary =
    `${name}: ${claims} claims, ${won} won, ${scene.objects.size} objects`;
  await scene.leave();
  return summary;
}

const until = performance.now() + seconds * 1000;
try {
  const summaries = await Promise.all(
    Array.from({ length: bots }, (_, i) => bot(i + 1, until)),
  );
  for (const line of summaries) console.log(line);
  console.log("done");
} catch (error) {
  if (error instanceof LoginRefusedError) {
    console.error(
      `${error.message}: start the server with --auth open, or add the bots' accounts`,
    );
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  Deno.exit(1);
}
