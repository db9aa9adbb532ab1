/**
 * `deno task bench`: runs the standard scenarios against a server it starts
 * and prints one table, then the burst scenarios (f)–(h) in a second one
 * (`--json` for machines, `--only a,c` for some, `--quick` for short
 * windows).
 *
 * @example
 * ```sh
 * deno task bench --only a,c --quick
 * ```
 * @module
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { commanderErrorText, errorText } from "../cli/cli_error.ts";
import { BURSTS, type BurstScenario, formatBursts, runBurst } from "./burst.ts";
import { formatTable } from "./report.ts";
import { BenchError, runBench } from "./runner.ts";
import { type Scenario, SCENARIOS } from "./scenarios.ts";

const HELP = "Run 'deno task bench --help' for its options and an example.";

/** What `--only` picked. */
export interface Chosen {
  readonly scenarios: readonly Scenario[];
  readonly bursts: readonly BurstScenario[];
}

/** The scenarios `--only` names, in their order; unknown ids are refused. */
export function chooseScenarios(only: string | undefined): Chosen {
  if (only === undefined) return { scenarios: SCENARIOS, bursts: BURSTS };
  const ids = only.split(",").map((id) => id.trim()).filter((id) => id !== "");
  const known = [...SCENARIOS, ...BURSTS].map((s) => s.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (ids.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(
      `${
        ids.length === 0
          ? "no scenario named"
          : `no scenario ${unknown.join(", ")}`
      }: the scenarios are ${known.join(", ")}`,
    );
  }
  return {
    scenarios: SCENARIOS.filter((s) => ids.includes(s.id)),
    bursts: BURSTS.filter((b) => ids.includes(b.id)),
  };
}

/** The command line of `deno task bench`. */
export function benchProgram() {
  const ids = [...SCENARIOS, ...BURSTS].map((s) => s.id).join(", ");
  return new Command("deno task bench")
    .description(
      "run the standard load scenarios (a)-(e) and the bursts (f)-(h) against a server it starts, and print their tables",
    )
    .option(
      "--only <ids>",
      `scenarios to run, comma-separated (${ids})`,
      chooseScenarios,
    )
    .option("--quick", "short windows (0.5 s warm-up, 2 s measured)")
    .option("--json", "print the results as JSON")
    .option("--server-args <flags>", "extra flags for the server it starts", "")
    .configureOutput({
      outputError: (text, write) =>
        write(`${commanderErrorText(text, HELP)}\n`),
    })
    .addHelpText(
      "after",
      [
        "",
        "Scenarios:",
        ...SCENARIOS.map((s) => `  ${s.id}  ${s.title} (target: ${s.target})`),
        ...BURSTS.map((b) => `  ${b.id}  ${b.title}`),
        "",
        "Examples:",
        "  $ deno task bench                  # all of them, a few minutes",
        "  $ deno task bench --only a,c --quick",
        '  $ deno task bench --only d --server-args "--tcp-impl deno"',
      ].join("\n"),
    );
}

async function main(): Promise<void> {
  const options = benchProgram().parse(Deno.args, { from: "user" }).opts();
  const { scenarios, bursts } = options.only ?? chooseScenarios(undefined);
  const rows = [];
  for (const scenario of scenarios) {
    console.error(`(${scenario.id}) ${scenario.title} ...`);
    const run = { ...scenario.options };
    if (options.quick) {
      run.warmupMs = Math.min(run.warmupMs, 500);
      run.durationMs = Math.min(run.durationMs, 2000);
    }
    run.serverArgs = options.serverArgs.split(" ").filter((s) => s !== "");
    const result = await runBench(run).catch((error) => {
      if (!(error instanceof BenchError)) throw error;
      console.error(errorText(error.message, "check --server-args; " + HELP));
      Deno.exit(2);
    });
    rows.push({ scenario, result });
  }
  const burstResults = [];
  for (const burst of bursts) {
    console.error(`(${burst.id}) ${burst.title} ...`);
    burstResults.push(await runBurst(burst));
  }
  if (options.json) {
    console.log(
      JSON.stringify([
        ...rows.map(({ scenario, result }) => ({ id: scenario.id, result })),
        ...burstResults.map((result) => ({ id: result.id, result })),
      ]),
    );
    return;
  }
  if (rows.length > 0) {
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

if (import.meta.main) await main();
