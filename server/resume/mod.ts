/**
 * Resumable sessions: a client that asks for it (`7:`) keeps its session
 * through a dropped connection — held in its room and groups for the resume
 * window, its lines kept — and resumes it on a new connection with its
 * token and the count of lines it has (`7:<id>:<token>:<n>`), missing
 * nothing and receiving nothing twice. docs/protocol.md, "Resuming a
 * session".
 *
 * @example
 * ```ts
 * import { newResumeToken } from "./mod.ts";
 * console.assert(newResumeToken().length === 32);
 * ```
 * @module
 */
export { tellAway } from "./away_notices.ts";
export { handleResumeLine } from "./resume_line.ts";
export { Resumable } from "./resumable.ts";
export type { ResumeAttachment } from "./resume_attachment.ts";
export { ResumeService, type ResumeServiceOptions } from "./resume_service.ts";
export { newResumeToken, resumeTokenMatches } from "./resume_token.ts";
