/**
 * How many datagrams per second the relay's UDP channel relays, with
 * `node:dgram` or `Deno.listenDatagram`. The server runs here; the load
 * generator (bench/udp_load.ts) runs in its own process so it is not the
 * bottleneck. Each run starts a fresh server and generator; it prints one
 * JSON line per run and the medians. Results go to docs/design.md, "UDP".
 *
 * - relayed/s: datagrams the server read (all are `3:0` messages);
 * - attempted/s: deliveries the server handed to its socket;
 * - delivered/s: messages the generator's clients received: the rate;
 * - datagramsReceived/s: the datagrams that carried them (fewer with
 *   `--pack`, where the generator's handshakes ask for packing).
 *
 * `--impl epoll` (Linux) reads and sends in batches and so can pack.
 *
 * @example
 * ```sh
 * deno run -A bench/udp_rate.ts --impl deno --clients 40 --seconds 5 --runs 3
 * deno run -A bench/udp_rate.ts --impl node --clients 40 --seconds 5 --runs 3
 * deno run -A bench/udp_rate.ts --impl epoll --pack --seconds 3 --runs 1
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import {
  createLogger,
  type DatagramTransport,
  DenoDatagramTransport,
  NodeDatagramTransport,
  RelayServer,
} from "../server/mod.ts";
import { EpollDatagramTransport } from "../net/posix/epoll_datagram.ts";

const { values } = parseArgs({
  options: {
    impl: { type: "string", default: "node" },
    clients: { type: "string", default: "40" },
    "room-size": { type: "string", default: "4" },
    seconds: { type: "string", default: "5" },
    payload: { type: "string", default: "32" },
    "no-read": { type: "boolean", default: false },
    runs: { type: "string", default: "3" },
    pack: { type: "boolean", default: false },
  },
});
const IMPLS: Record<string, () => DatagramTransport> = {
  node: () => new NodeDatagramTransport(),
  deno: () => new DenoDatagramTransport(),
  epoll: () => new EpollDatagramTransport(),
};
const chosen = IMPLS[values.impl];
if (chosen === undefined) {
  throw new TypeError(`--impl must be node, deno or epoll, got ${values.impl}`);
}
const makeTransport: () => DatagramTransport = chosen;

interface Run {
  relayedPerSec: number;
  attemptedPerSec: number;
  deliveredPerSec: number;
  datagramsReceivedPerSec: number;
  messagesPacked: number;
  generatorSentPerSec: number;
  sendDropped: number;
}

async function run(): Promise<Run> {
  await using server = await RelayServer.start({
    hostname: "127.0.0.1",
    port: 0,
    logger: createLogger({ level: "warn" }),
    udp: { transport: makeTransport() },
  });
  const generator = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-net",
      new URL("./udp_load.ts", import.meta.url).pathname,
      "--port",
      String(server.port),
      "--udp-port",
      String(server.udpPort),
      "--clients",
      values.clients,
      "--room-size",
      values["room-size"],
      "--seconds",
      values.seconds,
      "--payload",
      values.payload,
      ...(values["no-read"] ? ["--no-read"] : []),
      ...(values.pack ? ["--pack"] : []),
    ],
    stdin: "piped",
    stdout: "piped",
  }).spawn();

  const lines = generator.stdout.pipeThrough(new TextDecoderStream())
    .getReader();
  let text = "";
  const line = async (): Promise<string> => {
    while (!text.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) throw new Error(`generator ended; output: ${text}`);
      text += value;
    }
    const end = text.indexOf("\n");
    const first = text.slice(0, end);
    text = text.slice(end + 1);
    return first;
  };

  while (await line() !== "ready");
  const stdin = generator.stdin.getWriter();
  await stdin.write(new TextEncoder().encode("go\n"));
  while (await line() !== "start");
  const before = server.udpStats!;
  const t0 = performance.now();
  const result = JSON.parse(await line()) as {
    sent: number;
    received: number;
    datagrams: number;
  };
  const elapsed = (performance.now() - t0) / 1000;
  const after = server.udpStats!;
  await stdin.close();
  await generator.status;
  return {
    relayedPerSec: Math.round(
      (after.datagramsIn - before.datagramsIn) / elapsed,
    ),
    attemptedPerSec: Math.round(
      (after.datagramsOut - before.datagramsOut) / elapsed,
    ),
    deliveredPerSec: Math.round(result.received / elapsed),
    datagramsReceivedPerSec: Math.round(result.datagrams / elapsed),
    messagesPacked: after.messagesPacked - before.messagesPacked,
    generatorSentPerSec: Math.round(result.sent / elapsed),
    sendDropped: after.dropped["send-failed"] - before.dropped["send-failed"],
  };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const runs: Run[] = [];
for (let i = 0; i < Number(values.runs); i++) {
  const r = await run();
  runs.push(r);
  console.log(JSON.stringify({ impl: values.impl, run: i + 1, ...r }));
}
console.log(
  `${values.impl}: ${values.clients} clients in rooms of ${
    values["room-size"]
  }, ${values.payload}-byte payloads, ${values.seconds} s x ${runs.length}: ` +
    `median relayed ${median(runs.map((r) => r.relayedPerSec))}/s, ` +
    `delivered ${median(runs.map((r) => r.deliveredPerSec))}/s ` +
    `(min ${Math.min(...runs.map((r) => r.deliveredPerSec))}, max ${
      Math.max(...runs.map((r) => r.deliveredPerSec))
    })`,
);
