/**
 * A throwaway `redis-server` for tests: on 127.0.0.1 and a free port, with
 * nothing written to disk, killed on dispose (also when the test fails).
 * `stop()` kills it (SIGKILL: what it held is lost, as in a crash) and
 * `start()` brings a new one up on the same port.
 *
 * `redisAvailability()` is cheap: test files mark their Redis tests ignored,
 * with the reason in the name, where `redis-server` is missing.
 */

/** Whether `redis-server` can be run here, or why not. */
export type RedisAvailability =
  | { readonly available: true }
  | { readonly available: false; readonly reason: string };

/** A running Redis; `url` is what `serve --cluster` takes. */
export interface TestRedis extends AsyncDisposable {
  readonly port: number;
  readonly url: string;
  /** Kills the server (its data is gone). */
  stop(): Promise<void>;
  /** Starts a new, empty server on the same port. */
  start(): Promise<void>;
}

/** Finds `redis-server` on PATH. */
export async function redisAvailability(): Promise<RedisAvailability> {
  try {
    const out = await new Deno.Command("redis-server", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (out.success) return { available: true };
  } catch {
    // not installed
  }
  return {
    available: false,
    reason: "redis-server not found (run .ci/install-services)",
  };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** TLS files for a `rediss://` Redis (PEM). */
export interface RedisTls {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

/** Whether something answers PING on `port` (RESP inline command). */
async function pong(port: number, tls?: RedisTls): Promise<boolean> {
  try {
    const conn = tls === undefined
      ? await Deno.connect({ hostname: "127.0.0.1", port })
      : await Deno.connectTls({
        hostname: "127.0.0.1",
        port,
        caCerts: [await Deno.readTextFile(tls.ca)],
      });
    try {
      await conn.write(new TextEncoder().encode("PING\r\n"));
      const buffer = new Uint8Array(64);
      const n = await conn.read(buffer);
      // With a password the answer is an error asking for it: still up.
      const answer = n === null
        ? ""
        : new TextDecoder().decode(buffer.subarray(0, n));
      return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
    } finally {
      conn.close();
    }
  } catch {
    return false;
  }
}

/** Starts `redis-server` plus `args` on `port`; resolves once it answers. */
async function spawn(
  port: number,
  args: readonly string[],
  tls?: RedisTls,
): Promise<Deno.ChildProcess | null> {
  const listen = tls === undefined ? ["--port", `${port}`] : [
    "--port",
    "0",
    "--tls-port",
    `${port}`,
    "--tls-cert-file",
    tls.cert,
    "--tls-key-file",
    tls.key,
    "--tls-ca-cert-file",
    tls.ca,
    "--tls-auth-clients",
    "no",
  ];
  const child = new Deno.Command("redis-server", {
    args: [
      ...listen,
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--protected-mode",
      "no",
      "--loglevel",
      "warning",
      ...args,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const exited = child.status.then(() => true);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await pong(port, tls)) return child;
    const gone = await Promise.race([
      exited,
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 50)),
    ]);
    if (gone) return null;
  }
  child.kill("SIGKILL");
  await child.status;
  throw new Error(`redis-server on port ${port} did not answer within 10 s`);
}

/** Starts a Redis; `args` are extra `redis-server` flags; `tls` makes it `rediss://` only. */
export async function startRedis(
  args: readonly string[] = [],
  tls?: RedisTls,
): Promise<TestRedis> {
  let port = 0;
  let child: Deno.ChildProcess | null = null;
  // The port is free when picked but may be taken before Redis binds it.
  for (let attempt = 0; attempt < 5 && child === null; attempt++) {
    port = freePort();
    child = await spawn(port, args, tls);
  }
  if (child === null) throw new Error("redis-server would not start");
  let running: Deno.ChildProcess | null = child;
  const stop = async () => {
    if (running === null) return;
    const process = running;
    running = null;
    try {
      process.kill("SIGKILL");
    } catch {
      // already gone
    }
    await process.status;
  };
  return {
    port,
    url: `${tls === undefined ? "redis" : "rediss"}://127.0.0.1:${port}`,
    stop,
    async start() {
      if (running !== null) return;
      running = await spawn(port, args, tls);
      if (running === null) throw new Error(`port ${port} was taken`);
    },
    [Symbol.asyncDispose]: stop,
  };
}
