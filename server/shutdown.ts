/**
 * Graceful shutdown on SIGTERM/SIGINT: stop accepting, end every session
 * (rooms are told), flush, then run the closers (the database, …) in order,
 * all within a time limit; exit 0. A second signal exits at once with 1.
 *
 * @example
 * ```ts
 * import { RelayServer } from "./relay_server.ts";
 * import { createLogger } from "./logger.ts";
 * import { Shutdown } from "./shutdown.ts";
 * const server = await RelayServer.start({ port: 0 });
 * const shutdown = new Shutdown({
 *   server,
 *   logger: createLogger({ level: "silent" }),
 *   timeoutMs: 10_000,
 *   exit: (code) => console.assert(code === 0),
 * });
 * shutdown.closers.push({ name: "database", close: () => {} });
 * await shutdown.signal("SIGTERM");
 * ```
 * @module
 */
import type { Logger } from "./logger.ts";

/** Something closed at shutdown after the server, such as the database. */
export interface Closer {
  /** Names it in log lines. */
  readonly name: string;
  /** Releases it; may be async. */
  close(): void | Promise<void>;
}

/** What {@linkcode Shutdown} stops and how it exits. */
export interface ShutdownOptions {
  /** Stops accepting, ends every session and flushes on `close()`. */
  readonly server: {
    close(): Promise<void>;
    readonly sessionCount: number;
  };
  /** Closed after the server, in order. More can be pushed to {@linkcode Shutdown.closers}. */
  readonly closers?: readonly Closer[];
  /** The whole shutdown's time limit; past it, the process exits with 1. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Ends the process (`Deno.exit` in `serve`). */
  exit(code: number): void;
  /** The clock, in milliseconds; `performance.now` by default. */
  readonly now?: () => number;
}

/**
 * A SIGINT this soon after the first is the same Ctrl-C: a terminal sends it
 * to the whole process group, and `deno task` forwards its own copy.
 */
export const DUPLICATE_SIGINT_MS = 500;

/** The signals that stop `serve`. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Runs the shutdown once; a second request forces exit. */
export class Shutdown {
  /** Closed after the server, in this order. */
  readonly closers: Closer[];
  readonly #options: ShutdownOptions;
  #first: { signal: string; at: number; done: Promise<number> } | null = null;

  /** Prepares a shutdown; nothing happens until {@linkcode signal}. */
  constructor(options: ShutdownOptions) {
    this.#options = options;
    this.closers = [...(options.closers ?? [])];
  }

  /**
   * Handles a stop request. The first closes everything and exits 0 (1 if a
   * closer failed or the time limit passed); any later one exits 1 at once,
   * except a SIGINT within {@linkcode DUPLICATE_SIGINT_MS} of a first SIGINT
   * (the same Ctrl-C delivered twice), which is ignored.
   * Resolves with the exit code, after calling `exit`.
   */
  signal(signal: string): Promise<number> {
    const now = (this.#options.now ?? performance.now.bind(performance))();
    const first = this.#first;
    if (first === null) {
      const done = this.#run(signal);
      this.#first = { signal, at: now, done };
      return done;
    }
    if (
      signal === "SIGINT" && first.signal === "SIGINT" &&
      now - first.at < DUPLICATE_SIGINT_MS
    ) {
      this.#options.logger.debug("server.duplicate_signal", { signal });
      return first.done;
    }
    this.#options.logger.warn("server.forced_exit", { signal });
    this.#options.exit(1);
    return Promise.resolve(1);
  }

  async #run(signal: string): Promise<number> {
    const { logger, exit, timeoutMs, server } = this.#options;
    const started = performance.now();
    logger.info("server.stopping", {
      signal,
      sessions: server.sessionCount,
      timeout_ms: timeoutMs,
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const result = await Promise.race([this.#stop(), timeout]);
    clearTimeout(timer);
    const code = result === "timeout" ? 1 : result;
    if (result === "timeout") {
      logger.error("server.shutdown_timeout", { timeout_ms: timeoutMs });
    }
    logger.info("server.stopped", {
      code,
      ms: Math.round(performance.now() - started),
    });
    exit(code);
    return code;
  }

  /** Calls {@linkcode signal} on SIGINT and SIGTERM; returns a function that stops listening. */
  listen(): () => void {
    const handlers = STOP_SIGNALS.map((signal) => {
      const handler = () => void this.signal(signal);
      Deno.addSignalListener(signal, handler);
      return () => Deno.removeSignalListener(signal, handler);
    });
    return () => handlers.forEach((remove) => remove());
  }

  async #stop(): Promise<0 | 1> {
    const { logger, server } = this.#options;
    let code: 0 | 1 = 0;
    try {
      await server.close();
    } catch (error) {
      logger.error("server.close_failed", {
        name: "server",
        error: text(error),
      });
      code = 1;
    }
    for (const closer of this.closers) {
      try {
        await closer.close();
        logger.info("server.closed", { name: closer.name });
      } catch (error) {
        logger.error("server.close_failed", {
          name: closer.name,
          error: text(error),
        });
        code = 1;
      }
    }
    return code;
  }
}

function text(error: unknown): string {
  return error instanceof Error ? error.stack ?? error.message : String(error);
}
