/**
 * The burst scenarios: one sender writes a large burst in one write into a
 * room of readers that read as fast as they can, against a `serve` child
 * with the default rate limits. Reports how long the burst takes to reach
 * every reader (all of it, in order), whether anyone was cut, and the
 * server's peak resident memory (sampled from /proc) over its idle figure.
 *
 * @example
 * ```ts
 * import { BURSTS } from "./burst.ts";
 * console.assert(BURSTS.some((b) => b.id === "f"));
 * ```
 * @module
 */
import { LineFramer } from "../protocol/mod.ts";
import { startLocalServer } from "./local_server.ts";
import { alignTable } from "./report.ts";
import { readProcStats } from "./proc_stats.ts";

/** One burst scenario. */
export interface BurstScenario {
  readonly id: string;
  readonly title: string;
  /** Readers in the room besides the sender. */
  readonly readers: number;
  /** Lines in the burst. */
  readonly lines: number;
  /** Bytes of each line, `\n` included. */
  readonly lineBytes: number;
  /** Whether the lines go to the readers with `3:4` (else `3:0` to the room). */
  readonly direct?: boolean;
}

/** What one burst did. */
export interface BurstResult {
  readonly id: string;
  readonly readers: number;
  readonly lines: number;
  readonly burstBytes: number;
  /** From the write to the last reader's last line, in ms. */
  readonly allReadMs: number;
  /** From the write to the first reader's last line, in ms. */
  readonly firstReadMs: number;
  /** Readers that got every line in order. */
  readonly complete: number;
  /** Readers the server disconnected. */
  readonly cut: number;
  readonly idleRssBytes: number;
  readonly peakRssBytes: number;
}

/** The bursts of bench/README.md, (f)–(h). */
export const BURSTS: readonly BurstScenario[] = [
  {
    id: "f",
    title: "17 lines of 65 KB in one write, room of 50",
    readers: 50,
    lines: 17,
    lineBytes: 65_001,
  },
  {
    id: "g",
    title: "17 lines of 65 KB in one write, 3:4 to 100 users",
    readers: 100,
    lines: 17,
    lineBytes: 65_001,
    direct: true,
  },
  {
    id: "h",
    title: "3,000 lines of 100 B in one write, room of 50",
    readers: 50,
    lines: 3_000,
    lineBytes: 100,
  },
];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A reader: logs in, joins, then counts the sender's lines in order. */
async function reader(port: number, name: string, direct: boolean) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const state = { id: -1, ready: false, next: 0, ordered: true, ended: false };
  const framer = new LineFramer(1 << 20, (line) => {
    const head = decoder.decode(line.subarray(0, 24));
    if (state.id === -1) {
      state.id = Number(head.split(":")[1]);
      if (direct) state.ready = true;
    } else if (head.startsWith("4:")) state.ready = true;
    else if (head.startsWith("3:")) {
      const seq = Number(/^3:\d+:p(\d+):/.exec(head)?.[1] ?? -1);
      if (seq !== state.next) state.ordered = false;
      state.next++;
    }
  });
  const done = (async () => {
    const buffer = new Uint8Array(256 * 1024);
    try {
      while (true) {
        const n = await conn.read(buffer);
        if (n === null) break;
        framer.push(buffer.subarray(0, n));
      }
    } catch {
      // reset by the server
    }
    state.ended = true;
  })();
  await conn.write(
    encoder.encode(`0:${name}:pw\n${direct ? "" : "2:burst\n"}`),
  );
  return { conn, state, done };
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("burst: timed out");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Runs one burst against a fresh server with the default rate limits. */
export async function runBurst(scenario: BurstScenario): Promise<BurstResult> {
  const server = await startLocalServer([
    "--max-messages-per-second",
    "1000",
    "--message-burst",
    "1000",
  ]);
  try {
    const readers: Awaited<ReturnType<typeof reader>>[] = [];
    for (let i = 0; i < scenario.readers; i++) {
      readers.push(await reader(server.port, `r${i}`, !!scenario.direct));
    }
    await until(() => readers.every((r) => r.state.ready), 30_000);
    const sender = await reader(server.port, "sender", !!scenario.direct);
    await until(() => sender.state.ready, 30_000);
    const idle = readProcStats(server.pid)?.rssBytes ?? 0;
    const head = scenario.direct
      ? `3:4:${readers.map((r) => r.state.id).join(":")}:`
      : "3:0:";
    const burst = new Uint8Array(scenario.lines * scenario.lineBytes);
    for (let i = 0; i < scenario.lines; i++) {
      const start = `${head}p${i}:`;
      const pad = scenario.lineBytes - start.length - 1;
      encoder.encodeInto(
        start + "x".repeat(Math.max(0, pad)) + "\n",
        burst.subarray(i * scenario.lineBytes),
      );
    }
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, readProcStats(server.pid)?.rssBytes ?? 0);
    }, 10);
    const started = performance.now();
    let firstReadMs = Infinity;
    const write = sender.conn.write(burst).then(async function rest(n) {
      if (n < burst.length) await sender.conn.write(burst.subarray(n));
    });
    try {
      await until(() => {
        const done = readers.filter((r) =>
          r.state.next >= scenario.lines || r.state.ended
        );
        if (done.length > 0 && firstReadMs === Infinity) {
          firstReadMs = performance.now() - started;
        }
        return done.length === readers.length;
      }, 120_000);
    } finally {
      clearInterval(sampler);
    }
    const allReadMs = performance.now() - started;
    await write.catch(() => {});
    const result: BurstResult = {
      id: scenario.id,
      readers: scenario.readers,
      lines: scenario.lines,
      burstBytes: burst.length,
      allReadMs,
      firstReadMs,
      complete: readers.filter((r) =>
        r.state.next === scenario.lines && r.state.ordered
      ).length,
      cut: readers.filter((r) =>
        r.state.ended
      ).length,
      idleRssBytes: idle,
      peakRssBytes: peak,
    };
    for (const r of [...readers, sender]) {
      try {
        r.conn.close();
      } catch {
        // already closed
      }
      await r.done;
    }
    return result;
  } finally {
    await server.stop();
  }
}

/** The burst results as a table. */
export function formatBursts(results: readonly BurstResult[]): string {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  const header = [
    "scenario",
    "readers",
    "burst",
    "first reader done",
    "all readers done",
    "complete",
    "cut",
    "server RSS idle",
    "peak",
  ];
  const rows = results.map((r) => [
    `(${r.id})`,
    `${r.readers}`,
    `${r.lines} lines, ${mib(r.burstBytes)}`,
    `${r.firstReadMs.toFixed(0)} ms`,
    `${r.allReadMs.toFixed(0)} ms`,
    `${r.complete}/${r.readers}`,
    `${r.cut}`,
    mib(r.idleRssBytes),
    `${mib(r.peakRssBytes)} (+${mib(r.peakRssBytes - r.idleRssBytes)})`,
  ]);
  return alignTable(header, rows);
}

if (import.meta.main) {
  const only = Deno.args[0]?.split(",");
  const results = [];
  for (const scenario of BURSTS) {
    if (only && !only.includes(scenario.id)) continue;
    console.error(`(${scenario.id}) ${scenario.title} ...`);
    results.push(await runBurst(scenario));
  }
  console.log(formatBursts(results));
}
