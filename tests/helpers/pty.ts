/**
 * Runs `cli/main.ts` under a pseudo-terminal, as a person at a terminal
 * would: `script` (util-linux) gives the child a pty as its standard input
 * and output, and relays what the test writes as typed keys.
 */

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;

/** Whether `script` can be run here, or why not. */
export async function ptyAvailability(): Promise<
  { available: true } | { available: false; reason: string }
> {
  try {
    const out = await new Deno.Command("script", {
      args: ["-qec", "true", "/dev/null"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success
      ? { available: true }
      : { available: false, reason: "script(1) cannot open a pseudo-terminal" };
  } catch {
    return {
      available: false,
      reason: "script(1) from util-linux is not installed",
    };
  }
}

/** A CLI child on a pseudo-terminal. */
export interface PtyChild extends AsyncDisposable {
  /** Types `text` (use `\r` for Enter). */
  type(text: string): Promise<void>;
  /** Waits until the terminal shows `pattern`; returns everything so far. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  /** The exit code, once the child is done, and all it showed. */
  finished(): Promise<{ code: number; screen: string }>;
}

function quote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/** Starts `deno run -A cli/main.ts ...args` on a pseudo-terminal. */
export function spawnCliInPty(
  args: string[],
  options: { cwd?: string } = {},
): PtyChild {
  const command = [Deno.execPath(), "run", "-A", MAIN, ...args].map(quote).join(
    " ",
  );
  const process = new Deno.Command("script", {
    args: ["-qec", command, "/dev/null"],
    cwd: options.cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", TERM: "dumb" },
  }).spawn();
  const writer = process.stdin.getWriter();
  const reader = process.stdout.pipeThrough(new TextDecoderStream())
    .getReader();
  const stderr = new Response(process.stderr).text();
  let screen = "";
  let ended = false;
  const pump = async (until: RegExp | null, ms: number): Promise<string> => {
    const timer = setTimeout(
      () => reader.cancel(`no ${until} within ${ms} ms`),
      ms,
    );
    try {
      while (until === null || !until.test(screen)) {
        if (ended) {
          if (until === null) break;
          throw new Error(
            `terminal closed before ${until}; it showed: ${
              JSON.stringify(screen)
            }`,
          );
        }
        const { value, done } = await reader.read();
        if (done) ended = true;
        else screen += value;
      }
      return screen;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async type(text) {
      await writer.write(new TextEncoder().encode(text));
    },
    waitFor: (pattern, ms = 20_000) => pump(pattern, ms),
    async finished() {
      await pump(null, 20_000);
      const status = await process.status;
      return { code: status.code, screen };
    },
    async [Symbol.asyncDispose]() {
      try {
        process.kill("SIGKILL");
      } catch {
        // already exited
      }
      await process.status;
      await writer.close().catch(() => {});
      await reader.cancel().catch(() => {});
      await stderr;
    },
  };
}
