/** Runs `cli/main.ts` as a child process, as a user would. */

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;

/** A running CLI child with its output streams. */
export interface CliChild extends AsyncDisposable {
  readonly process: Deno.ChildProcess;
  /** Standard output as text chunks. */
  readonly stdout: ReadableStream<string>;
  /** All of standard error, once the child has exited. */
  stderrText(): Promise<string>;
}

/** Starts `deno run -A cli/main.ts ...args`, with `stdin` piped when given. */
export function spawnCli(
  args: string[],
  options: {
    cwd?: string;
    stdin?: boolean;
    env?: Record<string, string>;
  } = {},
): CliChild {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    cwd: options.cwd,
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
  }).spawn();
  const stderr = new Response(process.stderr).text();
  return {
    process,
    stdout: process.stdout.pipeThrough(new TextDecoderStream()),
    stderrText: () => stderr,
    async [Symbol.asyncDispose]() {
      try {
        process.kill("SIGKILL");
      } catch {
        // already exited
      }
      await process.status;
      await stderr;
      await this.stdout.cancel().catch(() => {});
    },
  };
}

/** Reads `stream` until `pattern` matches the text so far; fails after `ms`. */
export async function readUntil(
  stream: ReadableStream<string>,
  pattern: RegExp,
  ms = 20_000,
): Promise<RegExpMatchArray> {
  const reader = stream.getReader();
  let text = "";
  const timer = setTimeout(
    () => reader.cancel(`no ${pattern} within ${ms} ms`),
    ms,
  );
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before ${pattern}; got: ${text}`);
      text += value;
      const match = text.match(pattern);
      if (match) return match;
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}

/** Reads a text stream to its end. */
export async function readAll(stream: ReadableStream<string>): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}

/** What a finished CLI child printed, and how it exited. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cli/main.ts ...args` to completion, writing `stdin` (then EOF) if given. */
export async function runCli(
  args: string[],
  options: { cwd?: string; stdin?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    cwd: options.cwd,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** `serve` flags for a throwaway test server: anyone may log in, nothing on disk, a free port. */
export const OPEN_SERVE_ARGS = [
  "serve",
  "--auth",
  "open",
  "--db",
  ":memory:",
  "--port",
  "0",
] as const;

const READY =
  /tcp:\/\/[^\s]+:(\d+)(?: udp:\/\/[^\s]+:(\d+))?((?: [a-z]+:\/\/\S+)*)(?: admin (http:\/\/\S+))? \(auth[^)\n]*?(?:, node (\d+) of [^)\n]*)?\)/;

/** A `serve` child that accepts connections, with its ports. */
export interface ServeChild extends CliChild {
  readonly port: number;
  /** The UDP port, or null with `--no-udp`. */
  readonly udpPort: number | null;
  /** The node id in a deployment (`--cluster`), or null. */
  readonly node: number | null;
  /** The ready line's other listeners (tls://, ws(s)://, http(s)://), by scheme. */
  readonly urls: Readonly<Record<string, string>>;
  /** The port of the ready line's `scheme://` listener, or null. */
  portOf(scheme: string): number | null;
  /** The admin endpoint's `http://host:port`, or null without `--admin-port`. */
  readonly adminUrl: string | null;
}

/**
 * Starts `serve` with {@linkcode OPEN_SERVE_ARGS} and `args`, as `deno task
 * serve` would; resolves once it prints its ready line.
 */
export async function serveChild(
  args: readonly string[] = [],
  env?: Record<string, string>,
): Promise<ServeChild> {
  const child = spawnCli([...OPEN_SERVE_ARGS, ...args], { env });
  const ready = await readUntil(child.stdout, READY);
  const urls: Record<string, string> = {};
  for (const url of (ready[3] ?? "").trim().split(" ").filter(Boolean)) {
    urls[url.slice(0, url.indexOf(":"))] = url;
  }
  return Object.assign(child, {
    port: Number(ready[1]),
    udpPort: ready[2] === undefined ? null : Number(ready[2]),
    node: ready[5] === undefined ? null : Number(ready[5]),
    urls,
    portOf(scheme: string): number | null {
      const url = urls[scheme];
      return url === undefined
        ? null
        : Number(/:(\d+)(?:\/|$)/.exec(url.slice(scheme.length + 3))![1]);
    },
    adminUrl: ready[4] ?? null,
  });
}
