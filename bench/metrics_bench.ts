/**
 * The hot-path cost of the metrics, in process: a whole server (framer,
 * decoder, dispatch, fan-out, outbound queues) fed by an in-memory
 * transport whose writes complete at once, so that nothing but the
 * server's own work is measured — the kernel's share, which makes the
 * counters' share smaller in real use, is left out. One iteration: one
 * member of a room of 10 sends 100 lines of 100 bytes in one chunk (900
 * deliveries), then the queues flush. Counting on (the default) against
 * off (`metrics: false`, as `serve --no-metrics`).
 *
 * @example
 * ```sh ignore
 * deno run -A bench/metrics_bench.ts 6
 * ```
 * @module
 */
import { RelayServer } from "../server/mod.ts";
import type {
  SocketEvents,
  Transport,
  TransportServer,
  TransportSocket,
} from "../server/transport/transport.ts";

/** Sockets in memory: the bench delivers chunks, writes complete at once. */
class MemoryTransport implements Transport {
  #accept: ((socket: TransportSocket) => SocketEvents) | null = null;
  #serial = 0;
  written = 0;

  listen(
    _hostname: string,
    _port: number,
    accept: (socket: TransportSocket) => SocketEvents,
  ): Promise<TransportServer> {
    this.#accept = accept;
    return Promise.resolve({ port: 1, close: () => Promise.resolve() });
  }

  connect(): SocketEvents {
    const port = ++this.#serial;
    return this.#accept!({
      remote: `127.0.0.1:${port}`,
      remoteAddress: "127.0.0.1",
      write: (data, done) => {
        this.written += data.length;
        done();
      },
      pause() {},
      resume() {},
      end() {},
      destroy() {},
    });
  }
}

const utf8 = new TextEncoder();
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0));
};

async function roomOf10(metrics: boolean) {
  const transport = new MemoryTransport();
  const server = await RelayServer.start({
    transport,
    udp: false,
    metrics,
    limits: {
      maxMessagesPerSecond: 1e9,
      messageBurst: 1e9,
      maxConnectionsPerAddress: 100,
    },
  });
  const clients = Array.from({ length: 10 }, () => transport.connect());
  clients.forEach((c, i) => c.data(utf8.encode(`0:u${i}:pw\n`)));
  await turns(5);
  clients.forEach((c) => c.data(utf8.encode("2:room\n")));
  await turns(5);
  if (server.rooms.get("room")?.members.length !== 10) {
    throw new Error("the bench room did not fill");
  }
  const lines = Array.from(
    { length: 100 },
    (_, i) => `3:0:${"x".repeat(96)}${String(i).padStart(4, "0")}\n`,
  ).join("");
  return { server, sender: clients[0]!, chunk: utf8.encode(lines) };
}

type Bench = Awaited<ReturnType<typeof roomOf10>>;

/** Times `n` iterations one by one (ms each). */
async function time(bench: Bench, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    bench.sender.data(bench.chunk);
    await Promise.resolve();
    out.push(performance.now() - started);
  }
  return out;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const side = Deno.args[0];
if (side === "on" || side === "off") {
  // A child: one side only, in a process of its own (no JIT or heap shared
  // with the other side), printing its percentiles as JSON.
  const bench = await roomOf10(side === "on");
  await time(bench, 2000);
  const xs = await time(bench, 4000);
  console.log(
    JSON.stringify({
      p10: percentile(xs, 10),
      p25: percentile(xs, 25),
      p50: percentile(xs, 50),
    }),
  );
  // The in-memory sockets never close: leave without waiting for them.
  Deno.exit(0);
} else {
  // The parent: alternate the sides' processes, so that both see the same
  // load on a shared machine, and compare the medians of their percentiles.
  const rounds = Number(side ?? 4);
  const results: Record<
    "on" | "off",
    { p10: number; p25: number; p50: number }[]
  > = { on: [], off: [] };
  for (let r = 0; r < rounds; r++) {
    for (
      const s of r % 2 === 0 ? ["off", "on"] as const : ["on", "off"] as const
    ) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--v8-flags=--max-semi-space-size=4",
          new URL(import.meta.url).pathname,
          s,
        ],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      results[s].push(JSON.parse(new TextDecoder().decode(out.stdout)));
    }
  }
  const median = (xs: number[]) => percentile(xs, 50);
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log("| metrics | processes | p10 | p25 | median |");
  console.log("| ------- | --------- | --- | --- | ------ |");
  for (const s of ["off", "on"] as const) {
    const rs = results[s];
    console.log(
      `| ${s} | ${rs.length} | ${us(median(rs.map((r) => r.p10)))} | ${
        us(median(rs.map((r) => r.p25)))
      } | ${us(median(rs.map((r) => r.p50)))} |`,
    );
  }
  for (const p of ["p10", "p25", "p50"] as const) {
    const cost = median(results.on.map((r) =>
          r[p]
        )) / median(results.off.map((r) => r[p])) - 1;
    console.log(`${p}: on costs ${(cost * 100).toFixed(1)}% more than off`);
  }
}
