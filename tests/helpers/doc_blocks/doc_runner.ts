/**
 * Runs the blocks of documents, in order, in a fresh clone, as a new user
 * following them would (docs/design.md, "Documentation that runs"):
 *
 * - `sh` blocks run with `bash -e -o pipefail` in the clone, each in a new
 *   shell, and must exit 0 (or the `exit` directive's status);
 * - `ts` blocks are type-checked (all of a document's at once, before its
 *   first block runs) and then run with `deno run -A`, unless `check`;
 * - `background` blocks keep running, as in a terminal of their own, until
 *   a `stop` or the end of the document (Ctrl-C: SIGINT to their whole
 *   process tree), and must then end with 0 or by that SIGINT;
 * - `terminal` blocks run on a pseudo-terminal (`script`) and have each
 *   prompt answered;
 * - `file` blocks are written to their file in the project directory.
 *
 * Every block runs inside a private loopback where one can be made, so
 * port 7777 is free whatever else runs on the machine. A failure is a
 * {@linkcode DocBlockError} naming the document, line and section, with
 * the block, its output and what ran in the background.
 */
import { join } from "node:path";
import { BlockProcess } from "./block_process.ts";
import { type CloneDirs, freshClone } from "./fresh_clone.ts";
import type { DocBlock, DocItem } from "./markdown.ts";
import { PrivateLoopback } from "./private_loopback.ts";
import {
  blockSlug,
  checkBlocks,
  placeBlock,
  type PlacedBlock,
} from "./ts_blocks.ts";

/** Longest run of a block without a `timeout` directive. */
export const DEFAULT_BLOCK_TIMEOUT_MS = 60_000;
/** Longest wait for a background block's `wait-for` line. */
export const DEFAULT_WAIT_FOR_MS = 30_000;
/** How long a background block has to end after Ctrl-C. */
export const STOP_GRACE_MS = 15_000;
/** What a prompt looks like on a terminal block: output ending in ": ". */
const PROMPT = /: $/;

/** A block that did not do what its document says. */
export class DocBlockError extends Error {
  /** `code` is always `doc-block-failed`. */
  readonly code = "doc-block-failed";

  /** The failure of the block (or marker) at `file:line`. */
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = "DocBlockError";
  }
}

/** Where a block is, in words: `README.md:183 (sh, "Try it with nc")`. */
export function blockName(block: DocBlock): string {
  const section = block.section === "" ? "" : `, "${block.section}"`;
  return `${block.file}:${block.line} (${block.tag || "untagged"}${section})`;
}

/** Options of {@linkcode DocRunner.create}. */
export interface DocRunnerOptions {
  /** The tree copied as the fresh clone: the repository by default. */
  readonly source?: string;
  /** How long a background block has to end after Ctrl-C. */
  readonly stopGraceMs?: number;
}

interface Background {
  readonly block: DocBlock;
  readonly process: BlockProcess;
}

/** A fresh clone and the blocks running in it. */
export class DocRunner implements AsyncDisposable {
  readonly dirs: CloneDirs;
  /** How the blocks' network is isolated, in words. */
  readonly isolation: string;
  readonly #loopback: PrivateLoopback | null;
  readonly #env: Record<string, string>;
  readonly #background: Background[] = [];
  readonly #placed = new Map<DocBlock, PlacedBlock>();
  readonly #checkErrors = new Map<DocBlock, string>();
  readonly #stopGraceMs: number;

  private constructor(
    dirs: CloneDirs,
    loopback: PrivateLoopback | { unavailable: string },
    env: Record<string, string>,
    stopGraceMs: number,
  ) {
    this.dirs = dirs;
    if (loopback instanceof PrivateLoopback) {
      this.#loopback = loopback;
      this.isolation = "a private loopback";
    } else {
      this.#loopback = null;
      this.isolation = `the machine's own network (${loopback.unavailable})`;
    }
    this.#env = env;
    this.#stopGraceMs = stopGraceMs;
  }

  /** A fresh clone of the repository (or of `options.source`). */
  static async create(options: DocRunnerOptions = {}): Promise<DocRunner> {
    const dirs = await freshClone(options.source);
    return new DocRunner(
      dirs,
      await PrivateLoopback.open(),
      blockEnv(dirs.home, await denoDir()),
      options.stopGraceMs ?? STOP_GRACE_MS,
    );
  }

  /**
   * Gets a document ready: writes its `file` blocks and TypeScript blocks
   * and type-checks the latter (errors are reported by {@linkcode run}).
   */
  async prepare(items: readonly DocItem[]): Promise<void> {
    const placed: PlacedBlock[] = [];
    for (const item of items) {
      if (item.kind === "file") await this.#writeFile(item);
      if (item.kind === "ts") {
        const p = await placeBlock(this.dirs, item);
        this.#placed.set(item, p);
        placed.push(p);
      }
    }
    const errors = await checkBlocks(placed, this.#env);
    for (const [block, text] of errors) this.#checkErrors.set(block, text);
  }

  /**
   * Runs one item of a prepared document.
   *
   * @throws {DocBlockError} when it does not do what the document says.
   */
  async run(item: DocItem): Promise<void> {
    if (item.kind === "stop" || item.directives.stop) {
      await this.stopBackground(item.file, item.line);
    }
    if (item.kind === "stop") return;
    switch (item.kind) {
      case "sh":
        await this.#shell(item);
        break;
      case "ts":
        await this.#typescript(item);
        break;
      default:
        return; // illustrations, skipped blocks, files (written already)
    }
    await this.#checkBackground(item);
  }

  /**
   * Ctrl-C to every background block; each must end with 0 or by that
   * signal within {@linkcode STOP_GRACE_MS} (or the runner's own grace).
   *
   * @throws {DocBlockError} for the first that did not.
   */
  async stopBackground(file: string, line: number): Promise<void> {
    const running = this.#background.splice(0);
    const results = await Promise.all(
      running.map(async (bg) => ({
        bg,
        ...await bg.process.stop(this.#stopGraceMs),
      })),
    );
    for (const { bg, status, killed } of results) {
      const interrupted = status.signal === "SIGINT" || status.code === 130;
      const why = killed
        ? `did not end within ${this.#stopGraceMs / 1000} s of Ctrl-C`
        : !status.success && !interrupted
        ? `ended with ${statusText(status)} when stopped`
        : null;
      if (why !== null) {
        throw new DocBlockError(
          file,
          line,
          `${blockName(bg.block)}, running in the background, ${why}` +
            report(bg.block, bg.process.output.tail()),
        );
      }
    }
  }

  /** Stops what still runs and removes the clone. */
  async [Symbol.asyncDispose](): Promise<void> {
    for (const bg of this.#background.splice(0)) {
      await bg.process.stop(this.#stopGraceMs).catch(() => {});
    }
    await this.#loopback?.[Symbol.asyncDispose]();
    await Deno.remove(this.dirs.root, { recursive: true }).catch(() => {});
  }

  async #writeFile(block: DocBlock): Promise<void> {
    const path = join(this.dirs.project, block.directives.file!);
    if (!path.startsWith(this.dirs.root + "/")) {
      throw new DocBlockError(
        block.file,
        block.line,
        `${
          blockName(block)
        }: file ${block.directives.file} is outside the project`,
      );
    }
    await Deno.writeTextFile(path, block.code);
  }

  async #shell(block: DocBlock): Promise<void> {
    const script = join(this.dirs.root, `${blockSlug(block)}.sh`);
    await Deno.writeTextFile(script, block.code);
    const bash = ["bash", "-e", "-o", "pipefail", script];
    const argv = block.directives.terminal
      ? ["script", "-qefc", bash.map(quote).join(" "), "/dev/null"]
      : bash;
    await this.#execute(block, argv, this.dirs.clone);
  }

  async #typescript(block: DocBlock): Promise<void> {
    const errors = this.#checkErrors.get(block);
    if (errors !== undefined) {
      throw new DocBlockError(
        block.file,
        block.line,
        `${blockName(block)} does not type-check:\n${indent(errors.trim())}` +
          report(block, null),
      );
    }
    if (block.directives.check) return;
    const placed = this.#placed.get(block);
    if (placed === undefined) {
      throw new Error(`${blockName(block)} not prepared`);
    }
    await this.#execute(
      block,
      [Deno.execPath(), "run", "-A", placed.name],
      placed.cwd,
    );
  }

  async #execute(block: DocBlock, argv: string[], cwd: string): Promise<void> {
    const d = block.directives;
    const process = new BlockProcess(this.#loopback?.wrap(argv) ?? argv, {
      cwd,
      env: this.#env,
      typed: d.terminal === true,
    });
    if (d.background) return await this.#startBackground(block, process);
    const timeoutMs = d.timeoutMs ?? DEFAULT_BLOCK_TIMEOUT_MS;
    const answering = d.terminal ? this.#answer(block, process) : null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    let status = await Promise.race([process.status, late]);
    clearTimeout(timer);
    if (status === null) {
      await process[Symbol.asyncDispose]();
      await answering;
      throw this.#failure(
        block,
        `did not finish within ${
          timeoutMs / 1000
        } s (a server? mark it "background")`,
        process,
      );
    }
    await answering;
    status = await process.status;
    const expected = d.exit ?? 0;
    if (status.code !== expected || status.signal !== null) {
      throw this.#failure(
        block,
        `ended with ${statusText(status)}${
          expected === 0 ? "" : `, not ${expected}`
        }`,
        process,
      );
    }
    if (d.output !== undefined && !d.output.test(process.output.text)) {
      throw this.#failure(
        block,
        `printed nothing matching ${d.output}`,
        process,
      );
    }
  }

  async #startBackground(block: DocBlock, process: BlockProcess) {
    this.#background.push({ block, process });
    const pattern = block.directives.waitFor;
    if (pattern === undefined) return;
    const ms = block.directives.timeoutMs ?? DEFAULT_WAIT_FOR_MS;
    if (await process.output.until((text) => pattern.test(text), ms)) return;
    // Its output may end a moment before its exit is known: wait for that.
    const status = process.output.ended
      ? await within(process.status, 5_000)
      : null;
    const why = status !== null
      ? `ended (${
        statusText(status)
      }) before printing a line matching ${pattern}`
      : process.output.ended
      ? `closed its output without printing a line matching ${pattern}`
      : `printed no line matching ${pattern} within ${ms / 1000} s`;
    throw this.#failure(block, why, process);
  }

  /**
   * Types the answer at each prompt until the output ends. (Ended output
   * makes `until` return at once, without a turn of the event loop: the
   * loop must stop there, or it would starve the wait for the exit.)
   */
  async #answer(block: DocBlock, process: BlockProcess): Promise<void> {
    const answer = block.directives.answer ?? "";
    let from = 0;
    while (!process.output.ended) {
      const prompted = await process.output.until(
        (text) => PROMPT.test(text),
        1_000,
        from,
      );
      if (!prompted) continue;
      from = process.output.text.length;
      await process.type(`${answer}\r`).catch(() => {});
    }
  }

  /** A background block that ended by itself must have ended well. */
  async #checkBackground(after: DocBlock): Promise<void> {
    for (const bg of [...this.#background]) {
      if (!bg.process.exited) continue;
      this.#background.splice(this.#background.indexOf(bg), 1);
      const status = await bg.process.status;
      if (status.success) continue;
      throw new DocBlockError(
        after.file,
        after.line,
        `${blockName(bg.block)}, running in the background, ended with ${
          statusText(status)
        } by the end of ${blockName(after)}` +
          report(bg.block, bg.process.output.tail()),
      );
    }
  }

  #failure(block: DocBlock, why: string, process: BlockProcess): DocBlockError {
    const others = this.#background.filter((bg) => bg.process !== process)
      .map((bg) =>
        `\n  running in the background: ${blockName(bg.block)}, its output:\n${
          indent(bg.process.output.tail(15))
        }`
      ).join("");
    return new DocBlockError(
      block.file,
      block.line,
      `${blockName(block)} ${why}` +
        report(block, process.output.tail()) + others +
        `\n  (a block that is not meant to run: tag it text, or put <!-- illustration --> above it; docs/design.md, "Documentation that runs")`,
    );
  }
}

/** `promise`'s value, or null when it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  const result = await Promise.race([promise, late]);
  clearTimeout(timer);
  return result;
}

function report(block: DocBlock, output: string | null): string {
  const code = `\n  the block:\n${indent(block.code.trimEnd())}`;
  return output === null
    ? code
    : `${code}\n  its output:\n${indent(output || "(nothing)")}`;
}

function indent(text: string): string {
  return text.split("\n").map((l) => `    | ${l}`).join("\n");
}

function statusText(status: Deno.CommandStatus): string {
  return status.signal === null
    ? `exit status ${status.code}`
    : `signal ${status.signal}`;
}

function quote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/** The environment of every block: a home of its own, the Deno cache shared. */
function blockEnv(home: string, cache: string): Record<string, string> {
  const deno = Deno.execPath().replace(/\/[^/]+$/, "");
  return {
    PATH: `${deno}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    HOME: home,
    DENO_DIR: cache,
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
    TERM: "dumb",
    LANG: "C.UTF-8",
  };
}

/** Deno's cache directory, so that blocks need no network. */
async function denoDir(): Promise<string> {
  const given = Deno.env.get("DENO_DIR");
  if (given) return given;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}
