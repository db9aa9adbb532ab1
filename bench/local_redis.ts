/**
 * A `redis-server` child for the cluster benchmark: 127.0.0.1, a free
 * port, nothing written to disk, killed by `stop()`.
 *
 * @example
 * ```ts
 * import { startLocalRedis } from "./local_redis.ts";
 * const redis = await startLocalRedis();
 * await redis.stop();
 * ```
 * @module
 */

/** A running Redis child. */
export interface LocalRedis {
  readonly pid: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts `redis-server`; resolves once it answers PING. */
export async function startLocalRedis(): Promise<LocalRedis> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const child = new Deno.Command("redis-server", {
    args: [
      "--port",
      `${port}`,
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--loglevel",
      "warning",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await conn.write(new TextEncoder().encode("PING\r\n"));
      const buffer = new Uint8Array(16);
      const n = await conn.read(buffer);
      conn.close();
      if (n !== null) {
        return {
          pid: child.pid,
          url: `redis://127.0.0.1:${port}`,
          async stop() {
            child.kill("SIGKILL");
            await child.status;
          },
        };
      }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  child.kill("SIGKILL");
  await child.status;
  throw new Error("redis-server did not answer within 10 s");
}
