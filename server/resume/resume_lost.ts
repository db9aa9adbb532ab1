/**
 * A connected session whose client let too much go unacknowledged loses
 * resume: it carries on as a plain session, and the client is told why.
 *
 * @example
 * ```ts ignore
 * import { loseResume } from "./resume_lost.ts";
 * // Resumable.send calls it when the log would pass resumeBufferBytes.
 * ```
 * @module
 */
import { encodeResumeLine, ErrorCode } from "../../protocol/mod.ts";
import { errorFrame } from "../handlers/refuse.ts";
import type { Resumable } from "./resumable.ts";
import type { ResumeAttachment } from "./resume_attachment.ts";
import type { ResumeService } from "./resume_service.ts";

/**
 * Too much went unacknowledged while connected (more than `limit` bytes):
 * the session carries on without resume (`9:7:resume-lost:…`, then `7:-1`
 * on `conn`).
 */
export function loseResume(
  service: ResumeService,
  resumable: Resumable,
  conn: ResumeAttachment,
  limit: number,
): void {
  service.logger.warn("resume.lost", {
    session: resumable.session.id,
    unacked_bytes: resumable.unackedBytes,
    max: limit,
  });
  service.disable(resumable);
  conn.send(errorFrame(
    "7",
    ErrorCode.ResumeLost,
    `more than ${limit} bytes went unacknowledged; this session is no longer resumable (7: asks again)`,
  ));
  conn.send(encodeResumeLine({ kind: "resume-off" }));
}
