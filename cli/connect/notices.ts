/**
 * The REPL's own words: `/who`, the prompt, and what to say when a command
 * fails. Pure.
 *
 * @example
 * ```ts
 * import { promptText, whoText } from "./notices.ts";
 * const client = { sessionId: 2, room: "lobby", members: [1, 2], master: 1 };
 * console.assert(whoText(client) === "lobby: 1 (master), 2 (you)");
 * console.assert(promptText(client) === "#2@lobby> ");
 * ```
 * @module
 */
import {
  ConnectionClosedError,
  LoginRefusedError,
  NotLoggedInError,
  RefusedError,
} from "../../client/mod.ts";

/** What the words depend on: the client's view of its session and room. */
export interface SessionView {
  readonly sessionId: number | null;
  readonly room: string | null;
  readonly members: readonly number[];
  readonly master: number | null;
}

/** `/who`: the room's members in join order, the master and you marked. */
export function whoText(client: SessionView): string {
  if (client.room === null) return "not in a room";
  const names = client.members.map((id) => {
    const notes = [
      ...(id === client.master ? ["master"] : []),
      ...(id === client.sessionId ? ["you"] : []),
    ];
    return notes.length === 0 ? `${id}` : `${id} (${notes.join(", ")})`;
  });
  return `${client.room}: ${names.join(", ")}`;
}

/** The prompt: `(offline)> `, `> `, `#7> ` or `#7@lobby> `. */
export function promptText(client: SessionView | null): string {
  if (client === null) return "(offline)> ";
  const id = client.sessionId === null ? "" : `#${client.sessionId}`;
  const room = client.room === null ? "" : `@${client.room}`;
  return `${id}${room}> `;
}

/**
 * What to tell the person when a command failed, or null when the screen
 * shows it already (a refusal's `9:` line).
 */
export function failureText(error: Error): string | null {
  if (error instanceof RefusedError) return null;
  if (error instanceof LoginRefusedError) {
    return "login refused: wrong name or password";
  }
  if (error instanceof NotLoggedInError) {
    return "not logged in: /login NAME first";
  }
  if (error instanceof ConnectionClosedError) {
    return "not connected; /reconnect to connect again";
  }
  return error.message;
}
