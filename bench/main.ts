/**
 * `deno task bench`: runs the standard scenarios against a server it starts
 * and prints one table (`--json` for machines, `--only a,c` for some,
 * `--quick` for short windows).
 *
 * @example
 * ```sh
 * deno task bench --only a,c --quick
 * ```
 * @module
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { commanderErrorText, errorText } from "../cli/cli_error.ts";
import { formatTable } from "./report.ts";
import { BenchError, runBench } from "./runner.ts";
import { type Scenario, SCENARIOS } from "./scenarios.ts";

const HELP = "Run 'deno task bench --help' for its options and an example.";

/** The scenarios `--only` names, in their order; unknown ids are refused. */
export function chooseScenarios(only: string | undefined): Scenario[] {
  if (only === undefined) return SCENARIOS;
  const ids = only.split(",").map((id) => id.trim()).filter((id) => id !== "");
  const known = SCENARIOS.map((s) => s.id);
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
  return SCENARIOS.filter((s) => ids.includes(s.id));
}

/** The command line of `deno task bench`. */
export function benchProgram() {
  return new Command("deno task bench")
    .description(
      "run the standard load scenarios (a)-(e) against a server it starts, and print one table",
    )
    .option(
      "--only <ids>",
      `scenarios to run, comma-separated (${
        SCENARIOS.map((s) => s.id).join(", ")
      })`,
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
        "",
        "Examples:",
        "  $ deno task bench                  # all of them, about a minute",
        "  $ deno task bench --only a,c --quick",
        '  $ deno task bench --only d --server-args "--tcp-impl deno"',
      ].join("\n"),
    );
}

async function main(): Promise<void> {
  const options = benchProgram().parse(Deno.args, { from: "user" }).opts();
  const chosen = options.only ?? SCENARIOS;
  const rows = [];
  for (const scenario of chosen) {
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
  if (options.json) {
    console.log(
      JSON.stringify(
        rows.map(({ scenario, result }) => ({ id: scenario.id, result })),
      ),
    );
    return;
  }
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

if (import.meta.main) await main();
