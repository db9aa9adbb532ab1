#!/usr/bin/env -S deno run -A
/**
 * `switchboard`: the one executable. Thin: flags -> options, printing, exit
 * codes; the work is done by the library.
 *
 * @example
 * ```sh
 * deno run -A cli/main.ts serve --port 0 --auth open
 * ```
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { adminCommand } from "./admin.ts";
import { benchCommand } from "./bench.ts";
import { connectCommand } from "./connect/mod.ts";
import { roomsCommand } from "./rooms.ts";
import { serveCommand } from "./serve.ts";
import { statusCommand } from "./status.ts";
import { usersCommand } from "./users.ts";
import { VERSION } from "../server/version.ts";

/** Builds the command tree (exported for tests of the flag parsing). */
export function program(): Command {
  return new Command()
    .name("switchboard")
    .description(
      "A self-hosted relay server for multiplayer games and shared VR scenes.",
    )
    .version(VERSION)
    .showHelpAfterError()
    .addCommand(serveCommand())
    .addCommand(connectCommand())
    .addCommand(benchCommand())
    .addCommand(usersCommand())
    .addCommand(roomsCommand())
    .addCommand(statusCommand())
    .addCommand(adminCommand());
}

if (import.meta.main) {
  await program().parseAsync(Deno.args, { from: "user" });
}
