/**
 * A network namespace of its own with only a loopback interface, for the
 * doc test's blocks: the docs use the fixed port 7777, and on a shared
 * machine another test run, or a person's `deno task serve`, may hold it.
 * Inside, 127.0.0.1:7777 is always free, and nothing can leave the machine.
 *
 * Made with `unshare -n` (root) or `unshare -rn` (an unprivileged user
 * namespace) holding `sleep`, entered with `nsenter`; `ip` (iproute2)
 * brings the loopback up. Where that cannot be done the blocks run in the
 * machine's own namespace, and {@linkcode PrivateLoopback.open} says why.
 */

/** A namespace held open by a sleeping process. */
export class PrivateLoopback implements AsyncDisposable {
  readonly #holder: Deno.ChildProcess;
  readonly #user: boolean;

  private constructor(holder: Deno.ChildProcess, user: boolean) {
    this.#holder = holder;
    this.#user = user;
  }

  /** A private loopback, or the reason there is none. */
  static async open(): Promise<PrivateLoopback | { unavailable: string }> {
    const tries = Deno.uid() === 0 ? [["-n"], ["-rn"]] : [["-rn"]];
    let why = "unshare(1) from util-linux is not installed";
    for (const flags of tries) {
      let holder: Deno.ChildProcess;
      try {
        holder = new Deno.Command("unshare", {
          args: [
            ...flags,
            "--",
            "sh",
            "-c",
            "ip link set lo up && echo ready && exec sleep 86400",
          ],
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
      } catch {
        return { unavailable: why };
      }
      const stdout = holder.stdout.pipeThrough(new TextDecoderStream());
      const reader = stdout.getReader();
      const first = await reader.read();
      reader.releaseLock();
      void stdout.cancel().catch(() => {});
      if (!first.done && first.value.startsWith("ready")) {
        void holder.stderr.cancel().catch(() => {});
        return new PrivateLoopback(holder, flags[0] === "-rn");
      }
      const stderr = await new Response(holder.stderr).text();
      await holder.status;
      why = `unshare ${flags.join(" ")}: ${stderr.trim() || "failed"}`;
    }
    return { unavailable: why };
  }

  /** `argv` run inside the namespace. */
  wrap(argv: readonly string[]): string[] {
    const enter = ["nsenter", "-t", String(this.#holder.pid), "-n"];
    if (this.#user) enter.push("-U", "--preserve-credentials");
    return [...enter, "--", ...argv];
  }

  /** Ends the holder; the namespace goes with it. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#holder.kill("SIGKILL");
    } catch {
      // gone already
    }
    await this.#holder.status;
  }
}
