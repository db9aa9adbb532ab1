/**
 * WebSocket measurements (bench/README.md, "WebSocket"):
 *
 *   deno run -A bench/ws_bench.ts servers   Deno.serve + Deno.upgradeWebSocket
 *                                           against npm:ws on node:http: a bare
 *                                           room relay, no protocol
 *   deno run -A bench/ws_bench.ts relay     Switchboard itself: the same room
 *                                           over TCP and over WebSocket
 *
 * Each run: a server in a child process; 10 clients in one room, each
 * sending as fast as 32 of its own messages in flight allow, every message
 * relayed to all 10 (the sender's own copy paces it); 5 s measured after 1 s
 * of warm-up: deliveries/s and the latency p50/p99 (send -> receipt, one
 * clock). Then 1,000 idle connections: the server's RSS growth per
 * connection. Clients: Deno.connect for TCP, Deno's WebSocket for WS.
 * `--seconds S` changes the window.
 *
 * @module
 */
import http from "node:http";
// @ts-types="@types/ws"
import { WebSocketServer } from "ws";
import { LineFramer } from "../protocol/mod.ts";

const ROOM = 10;
const WINDOW = 32;
const IDLE = 1000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One bench client: send a line, get each line. */
interface Link {
  send(line: string): void;
  close(): void;
}

type Opener = (onLine: (line: string) => void) => Promise<Link>;

function wsOpener(url: string): Opener {
  return (onLine) =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      ws.onmessage = (e) =>
        onLine(typeof e.data === "string" ? e.data : decoder.decode(e.data));
      ws.onerror = () => reject(new Error(`cannot open ${url}`));
      ws.onopen = () =>
        resolve({ send: (line) => ws.send(line), close: () => ws.close() });
    });
}

function tcpOpener(port: number): Opener {
  return async (onLine) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    const framer = new LineFramer(1 << 20, (l) => onLine(decoder.decode(l)));
    (async () => {
      const buffer = new Uint8Array(65536);
      try {
        while (true) {
          const n = await conn.read(buffer);
          if (n === null) break;
          framer.push(buffer.subarray(0, n));
        }
      } catch {
        // closed
      }
    })();
    let queued: string[] = [];
    let scheduled = false;
    return {
      send(line) {
        queued.push(line + "\n");
        if (scheduled) return;
        scheduled = true;
        queueMicrotask(async () => {
          scheduled = false;
          const bytes = encoder.encode(queued.join(""));
          queued = [];
          let offset = 0;
          while (offset < bytes.length) {
            offset += await conn.write(bytes.subarray(offset));
          }
        });
      },
      close: () => conn.close(),
    };
  };
}

interface Result {
  deliveries: number;
  p50: number;
  p99: number;
}

/** The room scenario; `prefix` turns a payload into a line to send. */
async function room(
  open: Opener,
  prefix: string,
  login: (i: number) => string[],
  seconds: number,
): Promise<Result> {
  const latencies: number[] = [];
  let deliveries = 0;
  let measuring = false;
  let running = true;
  const inFlight = new Array(ROOM).fill(0);
  const links: Link[] = [];
  const ready: Promise<void>[] = [];
  const pump = (i: number) => {
    while (running && inFlight[i] < WINDOW) {
      inFlight[i]++;
      links[i]!.send(`${prefix}${i},${Math.round(performance.now() * 1000)}`);
    }
  };
  for (let i = 0; i < ROOM; i++) {
    let joined: () => void;
    ready.push(new Promise((r) => joined = r));
    const link = await open((line) => {
      const payload = line.slice(line.lastIndexOf(":") + 1);
      const comma = payload.indexOf(",");
      if (comma === -1) {
        if (line.startsWith("4:") || line === "joined") joined();
        return;
      }
      const from = Number(payload.slice(0, comma));
      if (measuring) {
        deliveries++;
        latencies.push(
          performance.now() - Number(payload.slice(comma + 1)) / 1000,
        );
      }
      if (from === i) {
        inFlight[i]--;
        pump(i);
      }
    });
    links.push(link);
    for (const line of login(i)) link.send(line);
  }
  await Promise.all(ready);
  for (let i = 0; i < ROOM; i++) pump(i);
  await new Promise((r) => setTimeout(r, 1000));
  measuring = true;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  running = false;
  for (const link of links) link.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.floor(q * (latencies.length - 1))] ?? NaN;
  return { deliveries: deliveries / seconds, p50: at(0.5), p99: at(0.99) };
}

async function rssOf(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

/** RSS growth per connection for `IDLE` idle connections (logged in where `login`). */
async function idle(pid: number, open: Opener, login: (i: number) => string[]) {
  const before = await rssOf(pid);
  const links: Link[] = [];
  let answered = 0;
  const all = Promise.withResolvers<void>();
  for (let i = 0; i < IDLE; i++) {
    const link = await open(() => {
      if (++answered === IDLE) all.resolve();
    });
    links.push(link);
    const lines = login(i);
    if (lines.length === 0) answered++;
    for (const line of lines) link.send(line);
  }
  if (answered < IDLE) await all.promise;
  const after = await rssOf(pid);
  for (const link of links) link.close();
  return (after - before) / IDLE;
}

/** A bare room relay: every message to every socket (for `servers`). */
function serveBare(kind: string): void {
  const sockets = new Set<
    { send(data: string | ArrayBuffer | Uint8Array): void }
  >();
  const hello = (ws: { send(d: string): void }) => ws.send("joined");
  if (kind === "deno") {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) => console.log(`port ${port}`),
    }, (req) => {
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.onopen = () => {
        sockets.add(socket);
        hello(socket);
      };
      socket.onmessage = (e) => {
        for (const s of sockets) s.send(e.data);
      };
      socket.onclose = () => sockets.delete(socket);
      return response;
    });
    void server;
  } else {
    const wss = new WebSocketServer({ noServer: true });
    const server = http.createServer();
    server.on(
      "upgrade",
      (req, socket, head) =>
        wss.handleUpgrade(req, socket, head, (ws) => {
          sockets.add(ws);
          hello(ws);
          ws.on("message", (data: Uint8Array, binary: boolean) => {
            for (const s of sockets) {
              s.send(binary ? data : decoder.decode(data));
            }
          });
          ws.on("close", () => sockets.delete(ws));
        }),
    );
    server.listen(
      0,
      "127.0.0.1",
      () => console.log(`port ${(server.address() as { port: number }).port}`),
    );
  }
}

async function child(args: string[], ready: RegExp) {
  const process = new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = process.stdout.pipeThrough(new TextDecoderStream())
    .getReader();
  let text = "";
  while (!ready.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`child ended: ${text}`);
    text += value;
  }
  reader.releaseLock();
  return { process, match: ready.exec(text)! };
}

function row(name: string, r: Result, perConn: number): string {
  return `| ${name} | ${Math.round(r.deliveries).toLocaleString("en")} | ${
    r.p50.toFixed(2)
  } | ${r.p99.toFixed(2)} | ${(perConn / 1024).toFixed(1)} |`;
}

if (import.meta.main) {
  const [mode = "relay", flag, value] = Deno.args;
  const seconds = flag === "--seconds" ? Number(value) : 5;
  const self = new URL(import.meta.url).pathname;
  console.log("| server | deliveries/s | p50 ms | p99 ms | idle KB/conn |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  if (mode === "bare") {
    serveBare(flag ?? "ws");
  } else if (mode === "servers") {
    for (const kind of ["deno", "ws"]) {
      const { process, match } = await child(
        ["run", "-A", self, "bare", kind],
        /port (\d+)/,
      );
      const open = wsOpener(`ws://127.0.0.1:${match[1]}/`);
      const result = await room(open, "", () => [], seconds);
      const perConn = await idle(process.pid, open, () => []);
      console.log(
        row(
          kind === "deno"
            ? "Deno.serve + upgradeWebSocket"
            : "npm:ws on node:http",
          result,
          perConn,
        ),
      );
      process.kill("SIGKILL");
      await process.status;
    }
  } else {
    const main = new URL("../cli/main.ts", import.meta.url).pathname;
    const { process, match } = await child([
      "run",
      "-A",
      main,
      "serve",
      "--auth",
      "open",
      "--db",
      ":memory:",
      "--port",
      "0",
      "--http-port",
      "0",
      "--max-messages-per-second",
      "1000000",
      "--message-burst",
      "1000000",
      "--max-connections-per-address",
      "100000",
      "--log-level",
      "warn",
    ], /tcp:\/\/[^:]+:(\d+) .*ws:\/\/[^:]+:(\d+)\/ws/);
    const login = (i: number) => [`0:u${i}:pw`, "2:bench"];
    const tcp = tcpOpener(Number(match[1]));
    const ws = wsOpener(`ws://127.0.0.1:${match[2]}/ws`);
    console.log(
      row(
        "Switchboard, TCP",
        await room(tcp, "3:1:", login, seconds),
        await idle(process.pid, tcp, (i) => [`0:i${i}:pw`]),
      ),
    );
    console.log(
      row(
        "Switchboard, WebSocket",
        await room(ws, "3:1:", login, seconds),
        await idle(process.pid, ws, (i) => [`0:w${i}:pw`]),
      ),
    );
    process.kill("SIGKILL");
    await process.status;
  }
}
