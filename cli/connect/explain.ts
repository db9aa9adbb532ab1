/**
 * Each incoming line in words: "user 7 joined lobby", "7 is now master",
 * "from 7: hello". Pure; {@linkcode Explainer} keeps the little context
 * the words need (who we are, whether our join sequence is arriving).
 *
 * @example
 * ```ts
 * import { explain } from "./explain.ts";
 * const view = { self: 1, room: "lobby", joining: false };
 * console.assert(explain({ kind: "joined", id: 7, room: "lobby" }, view) === "user 7 joined lobby");
 * console.assert(explain({ kind: "master", id: 7 }, view) === "7 is now master");
 * ```
 * @module
 */
import {
  type Incoming,
  RoomState,
  type ServerMessage,
  type UnknownLine,
} from "../../client/mod.ts";
import { describePayload } from "./printable.ts";

/** Codes of `9:0:<code>:<text>` that end the session from the server's side. */
const ENDED_BY_SERVER: ReadonlySet<string> = new Set([
  "superseded",
  "revoked",
  "kicked",
  "shutting-down",
]);

/** What the explanation of a line depends on, as it was before the line. */
export interface View {
  /** Our session id, if logged in. */
  readonly self: number | null;
  /** Our room, if in one. */
  readonly room: string | null;
  /** True while our own join sequence is arriving (members, then master). */
  readonly joining: boolean;
  /**
   * The session the server just ended (`0:-1` after a login elsewhere), and
   * its room: the server then sends that session's own leave.
   */
  readonly ended?: { readonly id: number; readonly room: string | null };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** One line in words. */
export function explain(msg: ServerMessage | UnknownLine, view: View): string {
  switch (msg.kind) {
    case "welcome":
      return `logged in as session ${msg.id}${
        msg.udpSecret === undefined ? "" : " (with a UDP secret)"
      }`;
    case "logged-out":
      return view.self === null
        ? "not logged in (login refused, or log in first)"
        : "your session ended: not logged in any more";
    case "room-list":
      return msg.rooms.length === 0
        ? "no rooms"
        : `${plural(msg.rooms.length, "room")}: ${
          msg.rooms.map((r) => `${r.name} (${r.count})`).join(", ")
        }`;
    case "joined":
      if (msg.id === view.self) return `you are in ${msg.room}`;
      return view.joining && msg.room === view.room
        ? `user ${msg.id} is in ${msg.room}`
        : `user ${msg.id} joined ${msg.room}`;
    case "left": {
      const room = view.room === null ? "" : ` ${view.room}`;
      if (msg.id === view.self) {
        return `you left${room === "" ? " the room" : room}`;
      }
      if (view.self === null && msg.id === view.ended?.id) {
        return `you left ${view.ended.room ?? "the room"} (your session ended)`;
      }
      return `user ${msg.id} left${room}`;
    }
    case "message":
      return `from ${msg.from}${msg.from === view.self ? " (you)" : ""}: ${
        describePayload(msg.payload)
      }`;
    case "master":
      if (view.joining) {
        return msg.id === view.self
          ? "you are the master"
          : `user ${msg.id} is the master`;
      }
      return msg.id === view.self
        ? "you are now the master"
        : `${msg.id} is now master`;
    case "away":
      return `user ${msg.id} is away (its connection dropped; its session is held for it)`;
    case "back":
      return `user ${msg.id} is back (resumed its session)`;
    case "notice":
      return msg.scope === "room"
        ? `notice to this room: ${msg.text}`
        : `server notice: ${msg.text}`;
    case "error":
      if (msg.command === "0" && ENDED_BY_SERVER.has(msg.code)) {
        return `the server ended your session (${msg.code}): ${msg.text}`;
      }
      return `refused command ${msg.command} (${msg.code}): ${msg.text}`;
    case "unknown":
      return `not a line this client knows (${msg.reason}); ignored`;
  }
}

/** Explains a connection's lines in order, keeping the context they need. */
export class Explainer {
  readonly #state = new RoomState();
  #ended: { id: number; room: string | null } | undefined;

  /** Explains `incoming`, then takes it into account. */
  explain(incoming: Incoming): string {
    const msg = incoming.message;
    const text = explain(msg, {
      self: this.#state.sessionId,
      room: this.#state.room,
      joining: this.#state.joining,
      ended: this.#ended,
    });
    const self = this.#state.sessionId;
    if (msg.kind === "logged-out" && self !== null) {
      this.#ended = { id: self, room: this.#state.room };
    } else if (
      msg.kind === "welcome" ||
      (msg.kind === "left" && msg.id === this.#ended?.id)
    ) {
      this.#ended = undefined;
    }
    if (msg.kind !== "unknown") this.#state.apply(msg);
    return text;
  }
}
