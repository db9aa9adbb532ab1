/**
 * `0:username:password`: ends the connection's current session, checks the
 * credentials, ends any other session of the same user, starts a new one.
 *
 * @example
 * ```ts
 * import { login } from "./login.ts";
 * console.assert(typeof login === "function");
 * ```
 * @module
 */
import { encodeServerMessage, ErrorCode } from "../../protocol/mod.ts";
import { verdictOf } from "../accounts/auth.ts";
import { UnavailableError } from "../sessions/session_ids.ts";
import type { Client } from "../sessions/client.ts";
import type { ServerContext } from "../context.ts";
import { Session } from "../sessions/session.ts";
import { newUdpSecret } from "../udp/udp_secret.ts";
import { errorFrame } from "./refuse.ts";

const LOGGED_OUT = encodeServerMessage({ kind: "logged-out" });

/** Handles a login; the connection's later lines wait until it settles. */
export async function login(
  ctx: ServerContext,
  client: Client,
  msg: { readonly username: string; readonly password: string },
): Promise<void> {
  if (client.session !== null) {
    ctx.sessions.end(client.session);
    client.session = null;
  }
  const verdict = verdictOf(
    await ctx.auth.verify({
      username: msg.username,
      password: msg.password,
      remoteAddress: client.remoteAddress,
      signal: ctx.signal,
      gone: () => client.closed,
    }),
  );
  if (client.closed) return;
  if (verdict.kind !== "accepted") {
    // A busy refusal is a throttle's, like the login rate's; a throttled
    // one is counted by the authenticator too (see admin/totals.ts).
    if (verdict.kind === "busy") ctx.metrics.loginsRateLimited++;
    else ctx.metrics.loginsRefused++;
    ctx.logger.info("login.refused", {
      remote: client.remote,
      user: msg.username,
      reason: verdict.kind === "refused" ? undefined : verdict.kind,
    });
    if (verdict.kind === "throttled") {
      client.send(errorFrame("0", ErrorCode.RateLimited, verdict.text));
    } else if (verdict.kind === "busy") {
      client.send(errorFrame("0", ErrorCode.Busy, verdict.text));
    }
    client.send(LOGGED_OUT);
    return;
  }
  let id: number;
  try {
    id = await ctx.ids.next();
  } catch (error) {
    if (!(error instanceof UnavailableError)) throw error;
    ctx.logger.warn("login.unavailable", {
      remote: client.remote,
      user: msg.username,
      error: error.message,
    });
    client.send(
      errorFrame(
        "0",
        ErrorCode.Unavailable,
        "the deployment's shared store is unreachable; try again shortly",
      ),
    );
    client.send(LOGGED_OUT);
    return;
  }
  if (client.closed) return;
  // Checked against the account as it was before a revocation that has
  // reached this server since: the revocation found no session to end.
  if (ctx.sessions.revokedSince(msg.username, verdict.revision)) {
    ctx.logger.info("login.refused", {
      remote: client.remote,
      user: msg.username,
      reason: "revoked",
    });
    client.send(LOGGED_OUT);
    return;
  }
  const previous = ctx.sessions.byName(msg.username);
  if (previous !== undefined) {
    ctx.logger.info("session.superseded", {
      session: previous.id,
      user: msg.username,
    });
    ctx.sessions.supersede(previous);
  }
  const session = new Session(id, msg.username, client);
  session.accountRevision = verdict.revision;
  if (ctx.udp) session.udpSecret = newUdpSecret();
  ctx.sessions.add(session);
  client.session = session;
  ctx.metrics.loginsOk++;
  ctx.logger.info("login.ok", {
    remote: client.remote,
    user: msg.username,
    session: id,
  });
  client.send(
    encodeServerMessage(
      session.udpSecret === null
        ? { kind: "welcome", id }
        : { kind: "welcome", id, udpSecret: session.udpSecret },
    ),
  );
}
