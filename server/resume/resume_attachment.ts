/**
 * The connection side of a resumable session: what a connection carrying one
 * is told.
 *
 * @example
 * ```ts
 * import type { ResumeAttachment } from "./resume_attachment.ts";
 * const acknowledged: keyof ResumeAttachment = "acknowledged";
 * console.assert(acknowledged === "acknowledged");
 * ```
 * @module
 */
import type { Client } from "../sessions/client.ts";

/** What a connection is told when it carries a resumable session. */
export interface ResumeAttachment extends Client {
  /** The client acknowledged lines: its queue went down (back-pressure). */
  acknowledged?(): void;
}
