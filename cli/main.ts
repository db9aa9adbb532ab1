#!/usr/bin/env -S deno run -A
/**
 * `switchboard`: the one executable. `serve` runs in the relay's worker
 * (relay_worker.ts: an isolate whose young generation is sized for a relay),
 * so this entry loads nothing else for it; every other command runs the
 * command tree (program.ts) here.
 *
 * @example
 * ```sh
 * deno run -A cli/main.ts serve --port 0 --auth open
 * ```
 * @module
 */
import { serveInWorker, servesInWorker } from "./relay_worker.ts";

if (import.meta.main) {
  if (servesInWorker(Deno.args)) await serveInWorker(Deno.args);
  const { program } = await import("./program.ts");
  await program().parseAsync(Deno.args, { from: "user" });
}
