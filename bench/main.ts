/**
 * `deno task bench`: runs the standard scenarios against a server it starts
 * and prints one table, then the burst scenarios (f)–(h) in a second one
 * (`--json` for machines, `--only a,c` for some,
 * `--quick` for short windows).
 *
 * @example
 * ```sh
 * deno task bench --only a,c --quick
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { BURSTS, formatBursts, runBurst } from "./burst.ts";
import { formatTable } from "./report.ts";
import { runBench } from "./runner.ts";
import { SCENARIOS } from "./scenarios.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    only: { type: "string" },
    quick: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    "server-args": { type: "string", default: "" },
  },
});

const only = values.only?.split(",");
const chosen = only ? SCENARIOS.filter((s) => only.includes(s.id)) : SCENARIOS;
const bursts = only ? BURSTS.filter((b) => only.includes(b.id)) : BURSTS;
const rows = [];
for (const scenario of chosen) {
  console.error(`(${scenario.id}) ${scenario.title} ...`);
  const options = { ...scenario.options };
  if (values.quick) {
    options.warmupMs = Math.min(options.warmupMs, 500);
    options.durationMs = Math.min(options.durationMs, 2000);
  }
  options.serverArgs = values["server-args"].split(" ").filter((s) => s !== "");
  const result = await runBench(options);
  rows.push({ scenario, result });
}
const burstResults = [];
for (const burst of bursts) {
  console.error(`(${burst.id}) ${burst.title} ...`);
  burstResults.push(await runBurst(burst));
}
if (values.json) {
  console.log(
    JSON.stringify([
      ...rows.map(({ scenario, result }) => ({ id: scenario.id, result })),
      ...burstResults.map((result) => ({ id: result.id, result })),
    ]),
  );
} else {
  console.log(
    formatTable(
      rows.map(({ scenario, result }) => ({
        name: `(${scenario.id})`,
        result,
      })),
    ),
  );
  console.log();
  for (const { scenario, result } of rows) {
    console.log(
      `(${scenario.id}) ${scenario.title}: target ${scenario.target} — ${
        scenario.meets(result) ? "met" : "MISSED"
      }`,
    );
  }
  if (burstResults.length > 0) {
    console.log();
    console.log(formatBursts(burstResults));
    console.log();
    for (const burst of bursts) {
      console.log(
        `(${burst.id}) ${burst.title}: every reader gets every line, nobody is cut`,
      );
    }
  }
}
