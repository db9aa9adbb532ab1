/**
 * The process-wide last resort: an exception or rejection that escaped every
 * connection's own handling is logged instead of ending the process and every
 * session with it. Each connection already contains its own faults; this
 * only catches what a bug lets through.
 *
 * @example
 * ```ts
 * import { createLogger } from "./logger.ts";
 * import { installLastResort } from "./last_resort.ts";
 * const uninstall = installLastResort(createLogger({ level: "error" }));
 * uninstall();
 * ```
 * @module
 */
import { errorField, type Logger } from "./logger.ts";

/** Logs uncaught errors and unhandled rejections as `server.uncaught`; returns an uninstaller. */
export function installLastResort(logger: Logger): () => void {
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    logger.error("server.uncaught", {
      kind: "exception",
      error: errorField(event.error, true),
    });
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    logger.error("server.uncaught", {
      kind: "rejection",
      error: errorField(event.reason, true),
    });
  };
  globalThis.addEventListener("error", onError);
  globalThis.addEventListener("unhandledrejection", onRejection);
  return () => {
    globalThis.removeEventListener("error", onError);
    globalThis.removeEventListener("unhandledrejection", onRejection);
  };
}
