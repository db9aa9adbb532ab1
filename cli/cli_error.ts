/**
 * How the CLI reports errors: every one starts with `switchboard: error: `
 * and is followed by a line saying what to do next, whether it comes from
 * a command's action or from commander's flag parsing (unknown option,
 * missing argument, bad value), so that people and scripts see one form.
 *
 * @example
 * ```ts
 * import { errorText } from "./cli_error.ts";
 * console.assert(
 *   errorText("user ada already exists", "pick another name") ===
 *     "switchboard: error: user ada already exists\n  pick another name",
 * );
 * ```
 * @module
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { commandLine } from "./invocation.ts";

/** What every error the CLI prints starts with. */
export const ERROR_PREFIX = "switchboard: error: ";

/** An error the CLI reports as it is, with what to do next. */
export class CliError extends Error {
  /**
   * @param code stable code for programs
   * @param hint what to do next, for the person
   * @param exitCode the process's exit status
   */
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly exitCode = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "CliError";
  }
}

/** The report: the prefixed message, then the hint indented below it. */
export function errorText(message: string, hint?: string): string {
  const lines = [`${ERROR_PREFIX}${message}`];
  if (hint !== undefined && hint !== "") lines.push(`  ${hint}`);
  return lines.join("\n");
}

/** Prints the report on standard error and exits with `code`. */
export function exitWithError(
  message: string,
  hint: string,
  code: number,
): never {
  console.error(errorText(message, hint));
  Deno.exit(code);
}

/** Prints `error` (a {@linkcode CliError}) and exits with its status. */
export function exitWithCliError(error: CliError): never {
  return exitWithError(error.message, error.hint, error.exitCode);
}

/** The words of the command `command` is, without the program: `users add`. */
export function commandPath(command: CommandUnknownOpts): string {
  const names: string[] = [];
  for (let c: CommandUnknownOpts | null = command; c?.parent; c = c.parent) {
    names.unshift(c.name());
  }
  return names.join(" ");
}

/**
 * Makes commander's errors of `command` and all its subcommands look like
 * ours: the prefix, and a hint naming the command's `--help`.
 */
export function styleErrors(command: CommandUnknownOpts): void {
  const path = commandPath(command);
  const help = path === ""
    ? `Run '${commandLine("--help")}' for the commands and an example.`
    : `Run '${commandLine(`${path} --help`)}' for its options and an example.`;
  command.configureOutput({
    outputError: (text, write) => write(`${commanderErrorText(text, help)}\n`),
  });
  for (const sub of command.commands) styleErrors(sub);
}

/**
 * Commander's message (`error: unknown option '--x'`, maybe with a
 * suggestion on the next line) in our form, ending with `help`.
 */
export function commanderErrorText(text: string, help: string): string {
  const [first = "", ...rest] = text.trimEnd().replace(/^error: /, "").split(
    "\n",
  );
  const password = /^unknown option '--password(=.*)?'/.test(first);
  const hint = password
    ? "passwords are never flags (ps and shell history would show them): pipe one in with --password-stdin, or leave it out to be asked on the terminal"
    : `${rest.map((l) => `${l.trim()} `).join("")}${help}`;
  return errorText(first, hint);
}

/**
 * Adds an "Examples:" section to `command`'s help, one example per line,
 * each written as `switchboard …` is run from here.
 */
export function addExamples(
  command: CommandUnknownOpts,
  examples: readonly string[],
): void {
  command.addHelpText("after", () =>
    [
      "",
      "Examples:",
      ...examples.map((e) => `  $ ${exampleLine(e)}`),
    ].join("\n"));
}

/** An example `switchboard <args>` (or a pipeline ending in it), as run from here. */
function exampleLine(example: string): string {
  const at = example.indexOf("switchboard ");
  if (at < 0) return example;
  return example.slice(0, at) +
    commandLine(example.slice(at + "switchboard ".length));
}
