/**
 * `deno task compile`: builds the single executable `dist/switchboard`
 * with `deno compile`. That needs Deno's base binary (denort) for this
 * Deno version, which `deno compile` downloads unless `DENORT_BIN` names
 * a local copy. Offline, Deno's own answer is a DNS error with a stack
 * trace and an empty `dist/`; this says what is missing and how to give
 * it, and leaves nothing behind.
 *
 * @example
 * ```sh
 * deno task compile                               # dist/switchboard
 * DENORT_BIN=/opt/denort deno task compile        # with a local base binary
 * deno run -A tools/compile.ts --output /tmp/sb   # elsewhere
 * ```
 * @module
 */
import { dirname } from "node:path";
import { errorText } from "../cli/cli_error.ts";

/** `deno compile`'s flags, without the output. */
export const COMPILE_FLAGS = [
  "-A",
  "--include",
  "cli/relay_worker_main.ts",
  "--include",
  "bench/load_worker.ts",
  "--include",
  "web/index.html",
  "--include",
  "web/dist",
  "--include",
  "server/admin/dashboard",
] as const;

/** Where the executable goes unless `--output` says otherwise. */
export const DEFAULT_OUTPUT = "dist/switchboard";

const ROOT = new URL("../", import.meta.url).pathname;

/** What a failed build means, for people. */
export interface BuildFailure {
  readonly message: string;
  readonly hint: string;
}

/**
 * Reads Deno's error output: a base binary that could not be had is told
 * as such; anything else is passed on as Deno said it (without the Rust
 * stack trace).
 */
export function explainFailure(
  stderr: string,
  denortBin?: string,
): BuildFailure {
  const text = stderr.replace(/\n*Stack backtrace:[\s\S]*$/, "").trim();
  const release = `denort-${Deno.build.target}.zip`;
  if (/base binary|denort|dns error|error sending request/i.test(text)) {
    // Deno lists the causes "0: …", "1: …"; the last is the root cause.
    const cause = [...text.matchAll(/^\s*\d+: (.*)$/gm)].at(-1)?.[1]?.trim();
    return {
      message: denortBin === undefined
        ? `deno compile needs Deno's base binary (denort ${Deno.version.deno} for ${Deno.build.target}) and could not download it${
          cause === undefined ? "" : ` (${cause})`
        }`
        : `deno compile could not use DENORT_BIN=${denortBin}: ${
          text.split("\n").at(-1)
        }`,
      hint:
        `get ${release} of Deno v${Deno.version.deno} from Deno's releases on a machine with network access, unzip it, and run: DENORT_BIN=/path/to/denort deno task compile`,
    };
  }
  return {
    message: `deno compile failed:\n${text}`,
    hint: "fix what Deno reports above, then run deno task compile again",
  };
}

async function isDirEmpty(path: string): Promise<boolean> {
  for await (const _ of Deno.readDir(path)) return false;
  return true;
}

async function main(args: string[]): Promise<number> {
  const at = args.indexOf("--output");
  const output = at >= 0 && args[at + 1] ? args[at + 1]! : DEFAULT_OUTPUT;
  const denortBin = Deno.env.get("DENORT_BIN") || undefined;
  if (denortBin !== undefined) {
    const stat = await Deno.stat(denortBin).catch(() => null);
    if (stat === null || !stat.isFile) {
      console.error(errorText(
        `DENORT_BIN=${denortBin} is not a file`,
        "point it at the unzipped denort binary, or unset it to let deno compile download one",
      ));
      return 1;
    }
  }
  const outDir = dirname(output);
  const madeDir = await Deno.stat(outDir).then(() => false, () => true);
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["compile", ...COMPILE_FLAGS, "--output", output, "cli/main.ts"],
    cwd: ROOT,
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
    stdout: "inherit",
    stderr: "piped",
  }).output();
  if (result.success) {
    const size =
      (await Deno.stat(`${output.startsWith("/") ? "" : ROOT}${output}`))
        .size;
    console.log(`built ${output} (${(size / 2 ** 20).toFixed(0)} MiB)`);
    return 0;
  }
  // Deno leaves the directory it made (and no executable): take it away.
  const dir = outDir.startsWith("/") ? outDir : `${ROOT}${outDir}`;
  if (madeDir && await isDirEmpty(dir).catch(() => false)) {
    await Deno.remove(dir).catch(() => {});
  }
  const failure = explainFailure(
    new TextDecoder().decode(result.stderr),
    denortBin,
  );
  console.error(errorText(failure.message, failure.hint));
  return 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
