/**
 * What the metrics cost the relay: scenario (a) of bench/README.md (100
 * clients in rooms of 10, as fast as a window of 16 allows) against a server
 * with counting off (`serve --no-metrics`, no admin endpoint) and one with
 * it on (the default counting plus `--admin-port`, scraped once a second),
 * alternating off/on/on/off… in the same run so that the machine's drift
 * hits both alike. Prints deliveries/s and the server's CPU per million
 * deliveries for each run, and the medians.
 *
 * @example
 * ```sh ignore
 * deno run -A bench/metrics_cost.ts --rounds 3 --duration 4
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { runBench } from "./runner.ts";
import { SCENARIOS } from "./scenarios.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "4" },
  },
});
const rounds = Number(values.rounds);
const durationMs = Number(values.duration) * 1000;
const token = "bench-token-0123456789abcdef";
const tokenFile = await Deno.makeTempFile({ prefix: "switchboard-bench-" });
await Deno.writeTextFile(tokenFile, token);

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

interface Run {
  metrics: "off" | "on";
  deliveriesPerSecond: number;
  serverCpuPercent: number;
  cpuMsPerMillion: number;
  scrapes: number;
}

async function run(metrics: "off" | "on"): Promise<Run> {
  const base = SCENARIOS.find((s) => s.id === "a")!.options;
  const adminPort = freePort();
  const serverArgs = metrics === "off"
    ? ["--no-metrics"]
    : ["--admin-port", String(adminPort), "--admin-token-file", tokenFile];
  let scrapes = 0;
  let scraping = metrics === "on";
  const scraper = (async () => {
    while (scraping) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!scraping) break;
      try {
        const response = await fetch(`http://127.0.0.1:${adminPort}/metrics`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await response.text();
        if (response.ok) scrapes++;
      } catch {
        // not up yet, or gone
      }
    }
  })();
  const result = await runBench({ ...base, durationMs, serverArgs });
  scraping = false;
  await scraper;
  const cpu = result.server?.cpuPercent ?? NaN;
  return {
    metrics,
    deliveriesPerSecond: result.deliveriesPerSecond,
    serverCpuPercent: cpu,
    // CPU ms spent per million deliveries: (cpu% / 100) s per s, per deliveries/s.
    cpuMsPerMillion: (cpu / 100) * 1000 / (result.deliveriesPerSecond / 1e6),
    scrapes,
  };
}

const order: ("off" | "on")[] = [];
for (let i = 0; i < rounds; i++) {
  order.push(
    ...(i % 2 === 0 ? ["off", "on"] as const : ["on", "off"] as const),
  );
}
const runs: Run[] = [];
for (const metrics of order) {
  console.error(`metrics ${metrics} ...`);
  runs.push(await run(metrics));
}
await Deno.remove(tokenFile);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]!
    : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log(
  "| run | metrics | deliveries/s | server CPU | CPU ms per 1M deliveries | scrapes |",
);
console.log(
  "| --- | ------- | ------------ | ---------- | ------------------------ | ------- |",
);
runs.forEach((r, i) =>
  console.log(
    `| ${i + 1} | ${r.metrics} | ${
      (r.deliveriesPerSecond / 1e6).toFixed(2)
    }M | ${r.serverCpuPercent.toFixed(0)}% | ${
      r.cpuMsPerMillion.toFixed(0)
    } | ${r.metrics === "on" ? r.scrapes : "-"} |`,
  )
);
for (const metrics of ["off", "on"] as const) {
  const mine = runs.filter((r) => r.metrics === metrics);
  console.log(
    `median ${metrics}: ${
      (median(mine.map((r) => r.deliveriesPerSecond)) / 1e6).toFixed(2)
    }M deliveries/s, ${
      median(mine.map((r) => r.cpuMsPerMillion)).toFixed(0)
    } CPU ms per 1M deliveries`,
  );
}
