/**
 * One running block of the docs: a child process whose standard output
 * and error are kept together in arrival order, that can be waited on for
 * a line of output with a deadline, typed at (a terminal block), and
 * stopped as Ctrl-C would stop it: SIGINT to the whole process tree at
 * once (a terminal signals its foreground process group, and `deno task`
 * and the server it runs both get it), SIGKILL when that does not end it.
 */

/** Everything a block printed so far, and waits on it. */
export class BlockOutput {
  #text = "";
  #ended = false;
  readonly #waiters = new Set<() => void>();

  /** The output so far. */
  get text(): string {
    return this.#text;
  }

  /** True once no more output will come. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Adds a chunk that arrived. */
  push(chunk: string): void {
    this.#text += chunk;
    this.#wake();
  }

  /** No more output will come. */
  end(): void {
    this.#ended = true;
    this.#wake();
  }

  /** The last `n` lines, for reports. */
  tail(n = 30): string {
    const lines = this.#text.trimEnd().split("\n");
    const cut = lines.length > n
      ? [`… (${lines.length - n} lines before)`]
      : [];
    return [...cut, ...lines.slice(-n)].join("\n");
  }

  /**
   * Waits until `test` holds for the output from `from` on; resolves
   * true, or false when the output ended or `ms` passed first.
   */
  async until(
    test: (text: string) => boolean,
    ms: number,
    from = 0,
  ): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (true) {
      if (test(this.#text.slice(from))) return true;
      const left = deadline - performance.now();
      if (this.#ended || left <= 0) return false;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }
}

/** How to start a block's process. */
export interface SpawnOptions {
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Keep standard input open for {@linkcode BlockProcess.type}. */
  readonly typed?: boolean;
}

/** A block's child process. */
export class BlockProcess implements AsyncDisposable {
  readonly output = new BlockOutput();
  readonly status: Promise<Deno.CommandStatus>;
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array> | null;
  readonly #pumps: Promise<void>;
  #exited = false;

  /** Starts `argv`. */
  constructor(argv: readonly string[], options: SpawnOptions) {
    this.#child = new Deno.Command(argv[0]!, {
      args: argv.slice(1),
      cwd: options.cwd,
      env: options.env,
      clearEnv: true,
      stdin: options.typed ? "piped" : "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#writer = options.typed ? this.#child.stdin.getWriter() : null;
    this.#pumps = Promise.all([
      this.#pump(this.#child.stdout),
      this.#pump(this.#child.stderr),
    ]).then(() => this.output.end());
    this.status = this.#child.status.then(async (status) => {
      this.#exited = true;
      await this.#writer?.close().catch(() => {});
      await this.#pumps;
      return status;
    });
  }

  /** The process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** True once the process has exited. */
  get exited(): boolean {
    return this.#exited;
  }

  /** Types `text` on standard input. */
  async type(text: string): Promise<void> {
    await this.#writer?.write(new TextEncoder().encode(text));
  }

  /** Ctrl-C: SIGINT to the process and all its descendants at once. */
  interrupt(): void {
    signalTree(this.pid, "SIGINT");
  }

  /** Ends the whole tree at once. */
  kill(): void {
    signalTree(this.pid, "SIGKILL");
  }

  /**
   * Stops it as Ctrl-C would; SIGKILL after `graceMs`. Resolves with the
   * status and whether it had to be killed.
   */
  async stop(graceMs: number): Promise<
    { status: Deno.CommandStatus; killed: boolean }
  > {
    if (!this.#exited) this.interrupt();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), graceMs);
    });
    const status = await Promise.race([this.status, late]);
    clearTimeout(timer);
    if (status !== null) return { status, killed: false };
    this.kill();
    return { status: await this.status, killed: true };
  }

  /** Kills what is left and waits for it. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#exited) this.kill();
    await this.status;
  }

  async #pump(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      this.output.push(decoder.decode(chunk, { stream: true }));
    }
  }
}

/** Sends `signal` to `pid` and every process descended from it. */
export function signalTree(pid: number, signal: Deno.Signal): void {
  for (const target of [pid, ...descendants(pid)]) {
    try {
      Deno.kill(target, signal);
    } catch {
      // gone already
    }
  }
}

/** The processes descended from `root` (Linux: read from /proc). */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry.name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}
