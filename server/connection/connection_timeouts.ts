/**
 * What one connection is judged by on the clock (the sweeper's timer, never
 * per line): a queue without progress for the stall timeout is cut; a
 * connection without a session for the login timeout (login_gate.ts) and
 * one without a line for the idle timeout are told why and closed.
 *
 * Lines only store the time; this compares it when the sweeper looks.
 *
 * @example
 * ```ts ignore
 * import { ConnectionTimeouts } from "./connection_timeouts.ts";
 * const timeouts = new ConnectionTimeouts(connection, owner, ending, gate);
 * timeouts.sweep(performance.now(), lastLine, false);
 * ```
 * @module
 */
import { ErrorCode } from "../../protocol/mod.ts";
import { errorFrame } from "../handlers/refuse.ts";
import type { Connection } from "./connection.ts";
import type { ConnectionEnding } from "./connection_ending.ts";
import type { ConnectionOwner } from "./connection_owner.ts";
import type { LoginGate } from "./login_gate.ts";

/** The stall, login and idle timeouts of one connection. */
export class ConnectionTimeouts {
  readonly #conn: Connection;
  readonly #owner: ConnectionOwner;
  readonly #ending: ConnectionEnding;
  readonly #gate: LoginGate;

  /** Judges `connection`; cuts through `ending`; its `gate` judges logins. */
  constructor(
    connection: Connection,
    owner: ConnectionOwner,
    ending: ConnectionEnding,
    gate: LoginGate,
  ) {
    this.#conn = connection;
    this.#owner = owner;
    this.#ending = ending;
    this.#gate = gate;
  }

  /**
   * Acts on what has timed out as of `now`. `lastLine`: when the last line
   * came; `busy`: a command is pending (a login being checked is no reason
   * to time out).
   */
  sweep(now: number, lastLine: number, busy: boolean): void {
    const conn = this.#conn;
    if (conn.closed) return;
    const { limits, logger } = this.#owner.ctx;
    const stalledMs = conn.stalledFor(now);
    if (stalledMs >= limits.stallTimeoutMs) {
      this.#owner.flow.stats.stalledCuts++;
      this.#ending.cut("stalled", {
        queued_bytes: conn.pendingBytes,
        stalled_ms: Math.round(stalledMs),
      });
      return;
    }
    if (this.#gate.timedOut(now, busy)) return;
    const idleMs = this.#owner.idleTimeoutMs;
    if (idleMs > 0 && now - lastLine >= idleMs) {
      logger.info("conn.idle", {
        conn: conn.serial,
        remote: conn.remote,
        idle_ms: Math.round(now - lastLine),
      });
      conn.send(errorFrame(
        "?",
        ErrorCode.IdleTimeout,
        `no line for ${idleMs / 1000} s; closing`,
      ));
      conn.close("idle timeout");
    }
  }
}
