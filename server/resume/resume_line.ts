/**
 * A client line whose first byte is `7`: resume on (`7:`) and off (`7:-1`),
 * an acknowledgement (`7:<n>`), or a resume on a new connection
 * (`7:<id>:<token>:<n>`). Never counted; see protocol/resume.ts.
 *
 * @example
 * ```ts
 * import { handleResumeLine } from "./resume_line.ts";
 * console.assert(typeof handleResumeLine === "function");
 * ```
 * @module
 */
import {
  decodeResumeClientLine,
  encodeResumeLine,
  encodeServerMessage,
  ErrorCode,
} from "../../protocol/mod.ts";
import type { ServerContext } from "../context.ts";
import { errorFrame } from "../handlers/refuse.ts";
import type { ResumeAttachment } from "./resume_attachment.ts";
import type { ResumeService } from "./resume_service.ts";

const LOGGED_OUT = encodeServerMessage({ kind: "logged-out" });
const RESUME_OFF = encodeResumeLine({ kind: "resume-off" });

/**
 * Handles one `7` line from `client`. `mayTry` takes one attempt from the
 * connection's login rate (a resume is a login by token) and says whether
 * there was one.
 */
export function handleResumeLine(
  service: ResumeService,
  ctx: ServerContext,
  client: ResumeAttachment,
  line: Uint8Array,
  mayTry: () => boolean,
): void {
  const msg = decodeResumeClientLine(line);
  if (msg.kind === "invalid") {
    client.send(errorFrame(msg.command, msg.code, msg.reason));
    return;
  }
  if (msg.kind === "resume") {
    resume(service, ctx, client, msg, mayTry);
    return;
  }
  const session = client.session;
  if (session === null) {
    client.send(LOGGED_OUT);
    return;
  }
  const resumable = session.resume;
  switch (msg.kind) {
    case "resume-on":
      // Already resumable: the same answer, with the count so far.
      client.send(service.enable(session, client).reply());
      return;
    case "resume-off":
      if (resumable !== null) service.disable(resumable);
      client.send(RESUME_OFF);
      return;
    case "ack":
      // An ack that crossed our 7:-1 is late, not wrong: nothing to say.
      if (resumable === null || resumable.acked(msg.count)) return;
      client.send(errorFrame(
        "7",
        ErrorCode.Malformed,
        `acknowledges ${msg.count} lines; ${resumable.sent.acked} to ${resumable.sent.last} were sent and not yet acknowledged`,
      ));
      return;
  }
}

function resume(
  service: ResumeService,
  ctx: ServerContext,
  client: ResumeAttachment,
  msg: { readonly id: number; readonly token: string; readonly count: number },
  mayTry: () => boolean,
): void {
  const refuse = (text: string, why: string) => {
    ctx.logger.info("resume.refused", {
      remote: client.remote,
      session: msg.id,
      why,
    });
    client.send(errorFrame("7", ErrorCode.ResumeRefused, text));
  };
  if (client.session !== null) {
    refuse(
      "this connection has a session; resume on a new connection",
      "logged in",
    );
    return;
  }
  if (!mayTry()) {
    client.send(errorFrame(
      "7",
      ErrorCode.RateLimited,
      `more than ${ctx.limits.maxLoginsPerMinute} logins or resumes per minute; wait`,
    ));
    return;
  }
  const resumable = ctx.sessions.get(msg.id)?.resume ?? null;
  if (
    resumable === null || resumable.ending ||
    !resumable.tokenMatches(msg.token)
  ) {
    refuse(
      `no session ${msg.id} to resume: it has ended (the resume window is ${
        ctx.limits.resumeWindowMs / 1000
      } s) or the token is not its own; log in again`,
      resumable === null || resumable.ending ? "no such session" : "token",
    );
    return;
  }
  const { acked, last } = resumable.sent;
  if (msg.count < acked || msg.count > last) {
    refuse(
      `you have ${msg.count} of session ${msg.id}'s lines, but ${acked} were acknowledged and ${last} sent; log in again`,
      "count",
    );
    return;
  }
  service.resume(resumable, client, msg.token, msg.count);
}
