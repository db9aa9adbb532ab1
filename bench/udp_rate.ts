/**
 * How many datagrams per second the relay's UDP channel relays, with
 * `node:dgram` or `Deno.listenDatagram`. The server runs here; the load
 * generator (bench/udp_load.ts) runs in its own process so it is not the
 * bottleneck. Results go to docs/design.md, "UDP".
 *
 * @example
 * ```sh
 * deno run -A --unstable-net bench/udp_rate.ts --impl node --clients 40 --seconds 5
 * deno run -A --unstable-net bench/udp_rate.ts --impl deno --clients 40 --seconds 5
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import {
  createLogger,
  DenoDatagramTransport,
  NodeDatagramTransport,
  RelayServer,
} from "../server/mod.ts";

const { values } = parseArgs({
  options: {
    impl: { type: "string", default: "node" },
    clients: { type: "string", default: "40" },
    "room-size": { type: "string", default: "4" },
    seconds: { type: "string", default: "5" },
    payload: { type: "string", default: "32" },
    "no-read": { type: "boolean", default: false },
  },
});
if (values.impl !== "node" && values.impl !== "deno") {
  throw new TypeError(`--impl must be node or deno, got ${values.impl}`);
}

await using server = await RelayServer.start({
  hostname: "127.0.0.1",
  port: 0,
  logger: createLogger({ level: "warn" }),
  udp: {
    transport: values.impl === "deno"
      ? new DenoDatagramTransport()
      : new NodeDatagramTransport(),
  },
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
  ],
  stdin: "piped",
  stdout: "piped",
}).spawn();

const lines = generator.stdout.pipeThrough(new TextDecoderStream())
  .getReader();
let text = "";
async function line(): Promise<string> {
  while (!text.includes("\n")) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`generator ended; output: ${text}`);
    text += value;
  }
  const end = text.indexOf("\n");
  const first = text.slice(0, end);
  text = text.slice(end + 1);
  return first;
}

while (await line() !== "ready");
const stdin = generator.stdin.getWriter();
await stdin.write(new TextEncoder().encode("go\n"));
while (await line() !== "start");
const before = server.udpStats!;
const t0 = performance.now();
const result = JSON.parse(await line()) as {
  elapsed: number;
  sent: number;
  received: number;
};
const elapsed = (performance.now() - t0) / 1000;
const after = server.udpStats!;
await stdin.close();
await generator.status;

const relayedIn = after.datagramsIn - before.datagramsIn;
const out = after.datagramsOut - before.datagramsOut;
const report = {
  impl: values.impl,
  clients: Number(values.clients),
  roomSize: Number(values["room-size"]),
  payloadBytes: Number(values.payload),
  seconds: Math.round(elapsed * 100) / 100,
  sentByGenerator: result.sent,
  serverDatagramsInPerSec: Math.round(relayedIn / elapsed),
  serverDatagramsOutPerSec: Math.round(out / elapsed),
  receivedByGeneratorPerSec: Math.round(result.received / elapsed),
  drops: after.dropped,
};
console.log(JSON.stringify(report));
