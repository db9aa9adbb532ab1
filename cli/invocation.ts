/**
 * How a person runs `switchboard` from where they are, for hints, help
 * examples and notices: `switchboard` for the compiled executable,
 * `deno task serve` / `deno task connect` in a clone (the README's way),
 * `deno run -A cli/main.ts` for the other commands there.
 *
 * @example
 * ```ts
 * import { commandLine } from "./invocation.ts";
 * console.log(commandLine("users add ada"));
 * // in a clone: deno run -A cli/main.ts users add ada
 * ```
 * @module
 */

const MAIN = new URL("./main.ts", import.meta.url);

/** True when running as the executable `deno compile` made. */
export function isCompiled(): boolean {
  return !/(^|\/)deno(\.exe)?$/.test(Deno.execPath());
}

/** The command that runs `switchboard` itself from the working directory. */
export function programLine(): string {
  if (isCompiled()) return Deno.execPath().replace(/^.*\//, "");
  if (MAIN.protocol !== "file:") return `deno run -A ${MAIN.href}`;
  const cwd = Deno.cwd().replace(/\/?$/, "/");
  const path = MAIN.pathname;
  return `deno run -A ${path.startsWith(cwd) ? path.slice(cwd.length) : path}`;
}

/**
 * The command line that runs `switchboard <args>`: `deno task serve …` and
 * `deno task connect …` from a clone's root, where the tasks are.
 */
export function commandLine(args: string): string {
  if (!isCompiled() && inCloneRoot()) {
    const task = /^(serve|connect)\b/.exec(args)?.[1];
    if (task !== undefined) return `deno task ${args}`;
  }
  return `${programLine()} ${args}`;
}

function inCloneRoot(): boolean {
  if (MAIN.protocol !== "file:") return false;
  return MAIN.pathname === `${Deno.cwd().replace(/\/$/, "")}/cli/main.ts`;
}
