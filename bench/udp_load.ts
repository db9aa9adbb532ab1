/**
 * The load generator of bench/udp_rate.ts, run as its own process so that it
 * is not the server's bottleneck: N clients log in over TCP, join rooms of
 * `--room-size`, do the UDP handshake, then all send `3:0:<payload>`
 * datagrams as fast as they can for `--seconds`, counting what they receive.
 * With `--pack` the handshakes ask for packed datagrams (`:pack`) and each
 * message of a packed datagram is counted.
 *
 * Prints `ready` when every client has its channel, waits for `go` on
 * standard input, prints `start` and, at the end, one JSON line of counts.
 *
 * @example
 * ```sh
 * deno run -A bench/udp_load.ts --port 7777 --clients 40 --seconds 5
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { decodeUdpConnected, encodeUdpHello } from "../protocol/mod.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "udp-port": { type: "string" },
    clients: { type: "string", default: "40" },
    "room-size": { type: "string", default: "4" },
    seconds: { type: "string", default: "5" },
    payload: { type: "string", default: "32" },
    "no-read": { type: "boolean", default: false },
    pack: { type: "boolean", default: false },
  },
});
const port = Number(values.port);
const udpPort = Number(values["udp-port"] ?? port);
const clients = Number(values.clients);
const roomSize = Number(values["room-size"]);
const seconds = Number(values.seconds);
const read = !values["no-read"];
const encoder = new TextEncoder();
const server: Deno.NetAddr = {
  transport: "udp",
  hostname: "127.0.0.1",
  port: udpPort,
};
const datagram = encoder.encode(`3:0:${"x".repeat(Number(values.payload))}`);

async function readLine(conn: Deno.TcpConn): Promise<string> {
  const buffer = new Uint8Array(1);
  let line = "";
  while (true) {
    if (await conn.read(buffer) === null) throw new Error("closed");
    if (buffer[0] === 10) return line;
    line += String.fromCharCode(buffer[0]!);
  }
}

interface Client {
  tcp: Deno.TcpConn;
  udp: Deno.DatagramConn;
  /** Messages received (several per packed datagram). */
  received: number;
  datagrams: number;
  sent: number;
}

async function open(i: number): Promise<Client> {
  const tcp = await Deno.connect({ hostname: "127.0.0.1", port });
  await tcp.write(encoder.encode(`0:load${i}:pw\n`));
  const [, id, secret] = (await readLine(tcp)).split(":");
  await tcp.write(encoder.encode(`2:room${Math.floor(i / roomSize)}\n`));
  let line = await readLine(tcp);
  while (!line.startsWith("4:")) line = await readLine(tcp);
  const udp = Deno.listenDatagram({
    transport: "udp",
    hostname: "127.0.0.1",
    port: 0,
  });
  const hello = encodeUdpHello(Number(id), secret, values.pack);
  while (true) {
    await udp.send(hello, server);
    const timeout = setTimeout(() => udp.send(hello, server), 500);
    const [reply] = await udp.receive();
    clearTimeout(timeout);
    if (decodeUdpConnected(reply) === Number(id)) break;
  }
  return { tcp, udp, received: 0, datagrams: 0, sent: 0 };
}

const all: Client[] = [];
for (let i = 0; i < clients; i++) all.push(await open(i));
// TCP lines (joins of later members) are not read during the run: they are few.
console.log("ready");
const stdin = Deno.stdin.readable.pipeThrough(new TextDecoderStream())
  .getReader();
while (!(await stdin.read()).value?.includes("go"));
console.log("start");
const t0 = performance.now();
const until = t0 + seconds * 1000;
let stop = false;

async function blast(c: Client): Promise<void> {
  let n = 0;
  while (!stop) {
    await c.udp.send(datagram, server);
    c.sent++;
    // Check the clock now and then, not on every datagram.
    if (++n % 64 === 0 && performance.now() >= until) stop = true;
  }
}

async function drain(c: Client): Promise<void> {
  const buffer = new Uint8Array(2048);
  try {
    while (true) {
      const [data] = await c.udp.receive(buffer);
      c.datagrams++;
      c.received++;
      for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) {
        c.received++;
      }
    }
  } catch {
    // closed at the end of the run
  }
}

const draining = read ? all.map(drain) : [];
await Promise.all(all.map(blast));
const elapsed = (performance.now() - t0) / 1000;
const sent = all.reduce((s, c) => s + c.sent, 0);
const receivedInRun = all.reduce((s, c) => s + c.received, 0);
const datagramsInRun = all.reduce((s, c) => s + c.datagrams, 0);
for (const c of all) {
  c.udp.close();
  c.tcp.close();
}
await Promise.all(draining);
console.log(
  JSON.stringify({
    elapsed,
    sent,
    received: receivedInRun,
    datagrams: datagramsInRun,
  }),
);
