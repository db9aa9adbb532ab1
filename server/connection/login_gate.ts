/**
 * The gate before login, for one connection: a login is taken from its
 * login rate, and one over the rate is refused without asking the
 * authenticator; a connection without a session may stay only for the login
 * timeout (counted again after each logout). (A resume, a login by token,
 * takes from the same rate: see resume/resume_line.ts.)
 *
 * Made once per connection; called for login lines and by the sweeper,
 * never for other lines.
 *
 * @example
 * ```ts ignore
 * import { LoginGate } from "./login_gate.ts";
 * const gate = new LoginGate(connection, owner, ending, rate, performance.now());
 * if (gate.refused(performance.now())) console.log("over the login rate");
 * ```
 * @module
 */
import { encodeServerMessage, ErrorCode } from "../../protocol/mod.ts";
import { errorFrame } from "../handlers/refuse.ts";
import type { RateLimits } from "../limits/rate_limits.ts";
import type { Connection } from "./connection.ts";
import type { ConnectionEnding } from "./connection_ending.ts";
import type { ConnectionOwner } from "./connection_owner.ts";

const LOGGED_OUT = encodeServerMessage({ kind: "logged-out" });

/** Login attempts and the login timeout of one connection. */
export class LoginGate {
  readonly #conn: Connection;
  readonly #owner: ConnectionOwner;
  readonly #ending: ConnectionEnding;
  readonly #rate: RateLimits;
  /** When the connection last had no session (opened, or its session ended). */
  #loggedOutSince: number;

  /** The gate of `connection`, opened at `now`, with its `rate`. */
  constructor(
    connection: Connection,
    owner: ConnectionOwner,
    ending: ConnectionEnding,
    rate: RateLimits,
    now: number,
  ) {
    this.#conn = connection;
    this.#owner = owner;
    this.#ending = ending;
    this.#rate = rate;
    this.#loggedOutSince = now;
  }

  /** The connection's session ended at `now`: the login timeout runs again. */
  loggedOut(now: number): void {
    this.#loggedOutSince = now;
  }

  /**
   * A `login` line at `now`: takes one from the login rate; when there is
   * none, refuses it (true) and the line goes no further.
   */
  refused(now: number): boolean {
    if (this.#rate.login(now)) return false;
    // Like any login it ends the current session first; then it is
    // refused without asking the authenticator.
    this.#ending.endSession("login");
    this.#owner.ctx.metrics.loginsRateLimited++;
    this.#conn.send(this.#rate.loginRefusal(now));
    this.#conn.send(LOGGED_OUT);
    return true;
  }

  /**
   * Closes the connection if it has had no session for the login timeout
   * as of `now` (`busy`: a login is being checked, which is no reason);
   * true if it did.
   */
  timedOut(now: number, busy: boolean): boolean {
    const conn = this.#conn;
    const { limits, logger } = this.#owner.ctx;
    if (
      conn.session !== null || busy ||
      now - this.#loggedOutSince < limits.loginTimeoutMs
    ) return false;
    logger.info("conn.login_timeout", {
      conn: conn.serial,
      remote: conn.remote,
    });
    conn.send(errorFrame(
      "?",
      ErrorCode.LoginTimeout,
      `no login within ${limits.loginTimeoutMs / 1000} s; closing`,
    ));
    conn.close("login timeout");
    return true;
  }
}
