/**
 * `deno run -A bench/cluster.ts`: one node, three nodes with every room
 * spanning nodes, and three nodes with each room kept whole on one node,
 * side by side in one run (bench/README.md, "A deployment of three nodes").
 * It starts its own Redis and `serve` nodes. `--quick` for short windows.
 *
 * @example
 * ```sh
 * deno run -A bench/cluster.ts --quick
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { formatTable } from "./report.ts";
import { type BenchOptions, type BenchResult, runBench } from "./runner.ts";
import { startLocalServer } from "./local_server.ts";
import { startLocalRedis } from "./local_redis.ts";
import { cpuPercent, readProcStats } from "./proc_stats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});

const windowMs = values.quick ? 2_000 : 5_000;
const loads: { name: string; options: Omit<BenchOptions, "target"> }[] = [
  {
    name: "saturation: 100 clients, rooms of 10, as fast as possible",
    options: {
      clients: 100,
      roomSize: 10,
      workers: 1,
      warmupMs: 1_000,
      durationMs: windowMs,
      config: {
        mode: 1,
        rate: 0,
        window: 16,
        payloadBytes: 100,
        pattern: "room",
      },
    },
  },
  {
    name: "moderate: 300 clients, rooms of 6, 20 msg/s each",
    options: {
      clients: 300,
      roomSize: 6,
      workers: 1,
      warmupMs: 1_000,
      durationMs: windowMs,
      config: {
        mode: 0,
        rate: 20,
        window: 1,
        payloadBytes: 100,
        pattern: "room",
      },
    },
  },
  {
    name: "ping-pong: 2 clients",
    options: {
      clients: 2,
      roomSize: 2,
      workers: 1,
      warmupMs: 1_000,
      durationMs: windowMs,
      config: {
        mode: 0,
        rate: 0,
        window: 1,
        payloadBytes: 100,
        pattern: "pingpong",
      },
    },
  },
];

const redis = await startLocalRedis();
const single = await startLocalServer([]);
const nodes = await Promise.all(
  [0, 1, 2].map(() => startLocalServer(["--cluster", redis.url])),
);
const deployment = nodes.map((n) => `127.0.0.1:${n.port}`).join(",");
const setups: {
  label: string;
  target: string;
  spread?: "span" | "whole";
  pids: number[];
}[] = [
  { label: "one node", target: `127.0.0.1:${single.port}`, pids: [single.pid] },
  {
    label: "3 nodes, rooms span",
    target: deployment,
    spread: "span",
    pids: [...nodes.map((n) => n.pid), redis.pid],
  },
  {
    label: "3 nodes, rooms whole",
    target: deployment,
    spread: "whole",
    pids: [...nodes.map((n) => n.pid), redis.pid],
  },
];
const rows: { name: string; result: BenchResult; serverCpu: number }[] = [];
const IDLE_CLIENTS = 3000;
let redisBytesPerClient = 0;

/** `used_memory` of the bench's Redis. */
async function redisUsedMemory(): Promise<number> {
  const out = await new Deno.Command("redis-cli", {
    args: ["-u", redis.url, "info", "memory"],
    stdout: "piped",
  }).output();
  const match = /used_memory:(\d+)/.exec(new TextDecoder().decode(out.stdout));
  return Number(match?.[1] ?? 0);
}

/** Redis's memory growth per idle client, logged in and in a room of 10. */
async function idleMemory(): Promise<number> {
  const before = await redisUsedMemory();
  let most = before;
  await runBench({
    clients: IDLE_CLIENTS,
    roomSize: 10,
    workers: 1,
    warmupMs: 0,
    durationMs: 1_000,
    target: deployment,
    spread: "span",
    config: {
      mode: 0,
      rate: 0,
      window: 1,
      payloadBytes: 100,
      pattern: "idle",
    },
    onProgress: () => {
      redisUsedMemory().then((bytes) => most = Math.max(most, bytes));
    },
  });
  return (most - before) / IDLE_CLIENTS;
}
try {
  for (const load of loads) {
    for (const setup of setups) {
      console.error(`${load.name} — ${setup.label} ...`);
      const before = setup.pids.map(readProcStats);
      const result = await runBench({
        ...load.options,
        target: setup.target,
        spread: setup.spread,
      });
      const after = setup.pids.map(readProcStats);
      const serverCpu = before.reduce(
        (sum, b, i) => sum + (b && after[i] ? cpuPercent(b, after[i]!) : 0),
        0,
      );
      rows.push({
        name: `${load.name.split(":")[0]} / ${setup.label}`,
        result,
        serverCpu,
      });
    }
  }
  redisBytesPerClient = await idleMemory();
} finally {
  await Promise.all([single, ...nodes].map((n) => n.stop()));
  await redis.stop();
}
if (values.json) {
  console.log(JSON.stringify({ rows, redisBytesPerClient }));
} else {
  console.log(formatTable(rows));
  console.log();
  for (const row of rows) {
    console.log(
      `${row.name}: servers (and Redis) ${
        row.serverCpu.toFixed(0)
      }% of a core over the whole run`,
    );
  }
  console.log(
    `Redis memory per idle logged-in client in a room (${IDLE_CLIENTS} clients, rooms of 10): ${
      redisBytesPerClient.toFixed(0)
    } bytes`,
  );
}
