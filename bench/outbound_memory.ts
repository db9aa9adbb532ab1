/**
 * What clients that stop reading cost in server memory, at 5,000 clients.
 *
 * Runs `serve` as a child with the default flow-control limits (senders wait
 * above 256 KiB queued, a receiver without progress holds them 1 s at most,
 * queues are cut after 5 s without progress or past 8 MiB, and all queues
 * together get 256 MiB) and reads its resident memory from /proc (Linux
 * only). Three measurements, each on a fresh server:
 *
 * - idle: 5,000 logged-in clients in 100 rooms of 50, nothing said;
 * - room: the same, then in every room one member talks (1 KB messages) as
 *   fast as the server reads it and the 49 others stop reading, until all
 *   4,900 are cut off (stalled, over the cap, or over the budget);
 * - distinct: N clients stop reading and each is sent its own data (3:4) until
 *   cut, so no queued byte is shared: the worst case, per client.
 *
 * ```sh
 * deno run -A bench/outbound_memory.ts                 # all three, 5,000 clients
 * deno run -A bench/outbound_memory.ts --distinct 500  # clients in the worst case
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { LineFramer } from "../protocol/mod.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MiB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "5000" },
    rooms: { type: "string", default: "100" },
    distinct: { type: "string", default: "500" },
  },
});
const CLIENTS = Number(values.clients);
const ROOMS = Number(values.rooms);
const DISTINCT = Number(values.distinct);

/** A `serve` child with room for this many connections from 127.0.0.1. */
async function serve() {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "serve",
      "--port",
      "0",
      "--log-level",
      "warn",
      "--max-connections",
      "20000",
      "--max-connections-per-address",
      "20000",
      "--max-messages-per-second",
      "1000000",
      "--message-burst",
      "1000000",
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/tcp:\/\/[^:]+:(\d+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("serve exited before listening");
    text += value;
  }
  reader.releaseLock();
  const port = Number(/tcp:\/\/[^:]+:(\d+)/.exec(text)![1]);
  return {
    port,
    memory: () => memoryOf(child.pid),
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
  };
}

async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kib = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)![1]) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

/** A client; `read(onLine)` keeps reading, otherwise it reads nothing more. */
interface Client {
  conn: Deno.TcpConn;
  id: number;
}

/** Reads lines until `stop` returns true, then stops reading. */
async function readUntil(
  conn: Deno.TcpConn,
  stop: (line: string) => boolean,
): Promise<void> {
  const buffer = new Uint8Array(64 * 1024);
  let done = false;
  const framer = new LineFramer(1 << 20, (line) => {
    if (!done && stop(decoder.decode(line))) done = true;
  });
  while (!done) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error("closed early");
    framer.push(buffer.subarray(0, n));
  }
}

/** Connects `count` clients in batches; each logs in (and joins its room). */
async function connect(
  port: number,
  count: number,
  join: boolean,
): Promise<Client[]> {
  const clients: Client[] = [];
  for (let start = 0; start < count; start += 500) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(500, count - start) }, async (_, i) => {
        const n = start + i;
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        const lines = `0:u${n}:pw\n` + (join ? `2:room${n % ROOMS}\n` : "");
        await conn.write(encoder.encode(lines));
        let id = -1;
        await readUntil(conn, (line) => {
          if (id === -1) id = Number(line.slice(2));
          return !join || line.startsWith("4:");
        });
        return { conn, id };
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array) {
  for (let offset = 0; offset < bytes.length;) {
    offset += await conn.write(bytes.subarray(offset));
  }
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

/** Idle clients, then every room's listeners stall while one member talks. */
async function roomScenario() {
  const server = await serve();
  const before = await server.memory();
  const clients = await connect(server.port, CLIENTS, true);
  const idle = await server.memory();
  console.log(
    `idle: ${CLIENTS} sessions in ${ROOMS} rooms: RSS ${mib(before.rss)} -> ${
      mib(idle.rss)
    } (${
      ((idle.rss - before.rss) / CLIENTS / 1024).toFixed(1)
    } KiB per client)`,
  );
  const perRoom = CLIENTS / ROOMS;
  const payload = "x".repeat(1000);
  const batch = encoder.encode(`3:0:${payload}\n`.repeat(100));
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    clients.slice(0, ROOMS).map(async (talker) => {
      let leaves = 0;
      const reading = readUntil(talker.conn, (line) => {
        if (/^2:\d+:$/.test(line)) leaves++;
        return leaves === perRoom - 1;
      });
      let cut = false;
      reading.then(() => cut = true);
      while (!cut) {
        await writeAll(talker.conn, batch);
        sent += 100;
      }
      await reading;
    }),
  );
  const after = await server.memory();
  console.log(
    `room: ${
      CLIENTS - ROOMS
    } stalled listeners cut off after ${sent} messages of 1 KB in ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s: peak RSS ${mib(after.peak)} (${
      mib(after.peak - idle.rss)
    } over idle), now ${mib(after.rss)}`,
  );
  for (const c of clients) c.conn.close();
  await server.stop();
}

/** `DISTINCT` stalled clients, each sent its own bytes until cut off. */
async function distinctScenario() {
  const server = await serve();
  const stalled = await connect(server.port, DISTINCT, false);
  const [sender] = await connect(server.port, 1, false);
  const idle = await server.memory();
  const payload = "z".repeat(60_000);
  const started = performance.now();
  let sent = 0;
  let unknown = new Set<number>();
  const refused = new Set<number>();
  // The sender hears `unknown-recipients` once a target has been cut off.
  const reading = readUntil(sender!.conn, (line) => {
    const match = /^9:3:unknown-recipients:no session ([\d,]+)/.exec(line);
    if (match) {
      for (const id of match[1]!.split(",")) refused.add(Number(id));
    }
    return refused.size === DISTINCT;
  });
  let done = false;
  reading.then(() => done = true);
  while (!done) {
    unknown = new Set(
      stalled.map((c) => c.id).filter((id) => !refused.has(id)),
    );
    const lines = [...unknown].map((id) => `3:4:${id}:${payload}\n`).join("");
    await writeAll(sender!.conn, encoder.encode(lines));
    sent += unknown.size * payload.length;
  }
  const after = await server.memory();
  const perClient = (after.peak - idle.rss) / DISTINCT;
  console.log(
    `distinct: ${DISTINCT} stalled clients cut off after ${mib(sent)} sent in ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s: peak RSS ${mib(after.peak)} (${
      mib(after.peak - idle.rss)
    } over idle, ${mib(perClient)} per client; at ${CLIENTS} clients: ~${
      mib(perClient * CLIENTS)
    })`,
  );
  for (const c of [...stalled, sender!]) c.conn.close();
  await server.stop();
}

if (Deno.build.os !== "linux") {
  console.error("outbound_memory reads /proc: Linux only");
  Deno.exit(2);
}
await roomScenario();
if (DISTINCT > 0) await distinctScenario();
