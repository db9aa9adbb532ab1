/**
 * Every command's `--help` ends with examples, and every error commander
 * reports (unknown option, missing argument, bad value, unknown command)
 * has the house form: `switchboard: error: …`, then what to do next.
 * In-process, on the command tree `cli/main.ts` builds.
 */
import assert from "node:assert/strict";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { assertEquals } from "../helpers/assert.ts";
import { program } from "../../cli/program.ts";
import { commandPath } from "../../cli/cli_error.ts";
import { HELP_EXAMPLES } from "../../cli/help_examples.ts";
import { runCli } from "../helpers/cli.ts";

/** Every command of the tree, the program first (not commander's `help`). */
function commands(root: CommandUnknownOpts): CommandUnknownOpts[] {
  return [root, ...root.commands.flatMap(commands)];
}

/** Parses `args` with output captured and exits turned into throws. */
function parse(args: string[]): { out: string; err: string } {
  const root = program() as unknown as CommandUnknownOpts;
  const captured = { out: "", err: "" };
  for (const command of commands(root)) {
    command.exitOverride().configureOutput({
      writeOut: (text) => (captured.out += text),
      writeErr: (text) => (captured.err += text),
    });
  }
  try {
    root.parse(args, { from: "user" });
  } catch (error) {
    if ((error as { code?: string }).code === undefined) throw error;
  }
  return captured;
}

Deno.test("help: every command and subcommand has --help with examples", () => {
  const tree = commands(program() as unknown as CommandUnknownOpts);
  const paths = tree.map(commandPath);
  assertEquals(
    paths.filter((p) => !(p in HELP_EXAMPLES)),
    [],
    "commands without a row in cli/help_examples.ts",
  );
  assertEquals(
    Object.keys(HELP_EXAMPLES).filter((p) => !paths.includes(p)),
    [],
    "rows in cli/help_examples.ts for no command",
  );
  for (const path of paths) {
    const { out } = parse([
      ...path.split(" ").filter((w) => w !== ""),
      "--help",
    ]);
    assert.match(out, /^Usage: /, path);
    assert.match(
      out,
      /\nExamples:\n {2}\$ \S/,
      `${path || "switchboard"}: ${out}`,
    );
  }
});

Deno.test("help: commander's errors say switchboard: error: and what to do next", () => {
  const cases: [string[], RegExp, RegExp][] = [
    [["bogus"], /unknown command 'bogus'/, /--help' for the commands/],
    [
      ["serve", "--pot", "1"],
      /unknown option '--pot'/,
      /Did you mean --port\?.*serve --help/,
    ],
    [["serve", "--port", "x"], /argument 'x' is invalid/, /serve --help/],
    [["users", "add"], /missing required argument 'name'/, /users add --help/],
    [
      ["connect", "a", "b"],
      /too many arguments for 'connect'/,
      /connect --help/,
    ],
    [
      ["rooms", "add", "den", "--max", "0"],
      /expected a whole number/,
      /rooms add --help/,
    ],
    [
      ["users", "add", "bob", "--password", "secret"],
      /unknown option '--password'/,
      /never flags.*--password-stdin/,
    ],
  ];
  for (const [args, message, hint] of cases) {
    const { err } = parse(args);
    const [first = "", second = "", ...rest] = err.trimEnd().split("\n");
    assert.match(first, /^switchboard: error: /, err);
    assert.match(first, message, err);
    assert.match(second, /^ {2}\S/, err);
    assert.match(second, hint, err);
    assertEquals(rest, [], "two lines, no help dump");
  }
});

Deno.test("help: in a real child too, and with exit code 1", async () => {
  const result = await runCli(["users", "frobnicate"]);
  assertEquals(result.code, 1);
  assert.match(
    result.stderr,
    /^switchboard: error: unknown command 'frobnicate'\n {2}Run '.*users --help' for its options and an example\.\n$/,
  );
});
