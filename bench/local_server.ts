/**
 * A `serve` child process for benchmarks: its own process, so its CPU and
 * memory can be read apart from the load generator's.
 *
 * @example
 * ```ts
 * import { startLocalServer } from "./local_server.ts";
 * const server = await startLocalServer(["--log-level", "error"]);
 * await server.stop();
 * ```
 * @module
 */

/** A running server child. */
export interface LocalServer {
  readonly pid: number;
  readonly port: number;
  /** SIGTERM, then wait for exit. */
  stop(): Promise<void>;
}

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;

/** Starts `serve --port 0 --auth open` plus `args`; resolves once it accepts. */
export async function startLocalServer(
  args: string[],
): Promise<LocalServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "serve",
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--auth",
      "open",
      "--log-level",
      "warn",
      // The bench measures what the relay carries, not the per-client
      // rate limit (a client at 16k msg/s is the point of scenario a).
      "--max-messages-per-second",
      "1000000000",
      "--message-burst",
      "1000000000",
      "--max-connections-per-address",
      "100000",
      "--max-connections",
      "19000",
      ...args,
    ],
    stdout: "piped",
    stderr: "inherit",
    stdin: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) {
      throw new Error(`the bench server exited before it was ready: ${text}`);
    }
    text += value;
    const match = /tcp:\/\/[^\s]+:(\d+)/.exec(text);
    if (match) {
      // Keep draining stdout so the child never blocks on a full pipe.
      (async () => {
        while (!(await reader.read()).done);
      })().catch(() => {});
      return {
        pid: child.pid,
        port: Number(match[1]),
        async stop() {
          try {
            child.kill("SIGTERM");
          } catch {
            // already gone
          }
          await child.status;
        },
      };
    }
  }
}
