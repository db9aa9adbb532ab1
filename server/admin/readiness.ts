/**
 * Readiness: a list of named checks (the database, and whatever a
 * deployment adds, such as Redis once clustered), each with a time limit,
 * run on every `/readyz`.
 *
 * @example
 * ```ts
 * import { runReadiness } from "./readiness.ts";
 * const result = await runReadiness([
 *   { name: "always", check: () => Promise.resolve() },
 *   { name: "never", check: () => Promise.reject(new Error("down")) },
 * ], 1000);
 * console.assert(!result.ready && result.checks[1]!.error === "down");
 * ```
 * @module
 */
import type { Store } from "../store/mod.ts";

/** Something the server needs in order to serve; `check` rejects when it is not there. */
export interface ReadinessCheck {
  /** Names it in `/readyz` answers and logs, e.g. `database`, `redis`. */
  readonly name: string;
  /** Resolves when it is reachable; `signal` aborts at the time limit. */
  check(signal: AbortSignal): Promise<void>;
}

/** One check's outcome. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** Why not, when not ok. */
  readonly error?: string;
  readonly ms: number;
}

/** Every check's outcome; ready when all passed. */
export interface ReadinessResult {
  readonly ready: boolean;
  readonly checks: readonly CheckResult[];
}

/** How long one check may take by default before it counts as failed. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/** Runs every check at once, each within `timeoutMs`. */
export async function runReadiness(
  checks: readonly ReadinessCheck[],
  timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<ReadinessResult> {
  const results = await Promise.all(checks.map((c) => runOne(c, timeoutMs)));
  return { ready: results.every((r) => r.ok), checks: results };
}

async function runOne(
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<CheckResult> {
  const started = performance.now();
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const ms = () => Math.round(performance.now() - started);
  try {
    const running = check.check(abort.signal);
    // A check that answers after its time limit must not reject unheard.
    running.catch(() => {});
    await Promise.race([running, late]);
    return { name: check.name, ok: true, ms: ms() };
  } catch (error) {
    return {
      name: check.name,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      ms: ms(),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The database answers a query. */
export function storeReadiness(store: Store): ReadinessCheck {
  return { name: "database", check: () => store.ping() };
}
