/**
 * The command tree of `switchboard` (cli/main.ts runs it). Thin: flags ->
 * options, printing, exit codes; the work is done by the library.
 *
 * @example
 * ```ts
 * import { program } from "./program.ts";
 * console.assert(program().name() === "switchboard");
 * ```
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { adminCommand } from "./admin.ts";
import { benchCommand } from "./bench.ts";
import { styleErrors } from "./cli_error.ts";
import { addHelpExamples } from "./help_examples.ts";
import { connectCommand } from "./connect/mod.ts";
import { roomsCommand } from "./rooms.ts";
import { serveCommand } from "./serve.ts";
import { statusCommand } from "./status.ts";
import { usersCommand } from "./users.ts";
import { VERSION } from "../server/version.ts";

/**
 * Builds the command tree (exported for tests of the flag parsing), with
 * the house style of errors and an example in every command's `--help`.
 */
export function program(): Command {
  const root = new Command()
    .name("switchboard")
    .description(
      "A self-hosted relay server for multiplayer games and shared VR scenes.",
    )
    .version(VERSION)
    .addCommand(serveCommand())
    .addCommand(connectCommand())
    .addCommand(benchCommand())
    .addCommand(usersCommand())
    .addCommand(roomsCommand())
    .addCommand(statusCommand())
    .addCommand(adminCommand());
  styleErrors(root);
  addHelpExamples(root);
  return root;
}
