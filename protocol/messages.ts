/**
 * Typed messages of protocol version 1, both directions.
 *
 * Payloads are bytes, never strings: the server relays them as received.
 *
 * @example
 * ```ts
 * import type { ClientMessage } from "./messages.ts";
 * const hello: ClientMessage = { kind: "login", username: "ada", password: "pw" };
 * ```
 */

/** The leading number of every client line. */
export const ClientCode = {
  Login: 0,
  ListRooms: 1,
  Join: 2,
  Send: 3,
  SendGroup: 4,
  DefineGroup: 5,
  /** Resume lines (protocol/resume.ts); never counted. */
  Resume: 7,
} as const;

/** The second field of a `3:` line: who receives the message. */
export const SendMode = {
  Others: 0,
  All: 1,
  OthersOrdered: 2,
  AllOrdered: 3,
  Users: 4,
} as const;

/** The room-wide send modes (everything but {@linkcode SendMode.Users}). */
export type RoomSendMode = 0 | 1 | 2 | 3;

/** The leading number of every server line. */
export const ServerCode = {
  Session: 0,
  RoomList: 1,
  Membership: 2,
  Message: 3,
  Master: 4,
  /** A member is away (its connection dropped, its session held) or back. */
  Presence: 6,
  /** Resume lines (protocol/resume.ts); never counted. */
  Resume: 7,
  Notice: 8,
  Error: 9,
} as const;

/**
 * Who a server notice `8:<scope>:<text>` is addressed to: every session on
 * the server, or the members of the receiver's room. Clients should treat
 * an unknown scope like `server`.
 */
export const NoticeScope = {
  Server: "server",
  Room: "room",
} as const;

/** A line a client sends. */
export type ClientMessage =
  | {
    readonly kind: "login";
    readonly username: string;
    readonly password: string;
  }
  | { readonly kind: "list-rooms"; readonly password: string }
  | { readonly kind: "join"; readonly room: string; readonly password: string }
  | { readonly kind: "leave" }
  | {
    readonly kind: "send";
    readonly mode: RoomSendMode;
    readonly payload: Uint8Array;
  }
  | {
    readonly kind: "send-users";
    readonly to: readonly number[];
    readonly payload: Uint8Array;
  }
  | {
    readonly kind: "send-group";
    readonly group: string;
    readonly payload: Uint8Array;
  }
  | {
    readonly kind: "define-group";
    readonly group: string;
    readonly members: readonly number[];
  };

/** One entry of a room list: the room and how many are in it. */
export interface RoomCount {
  readonly name: string;
  readonly count: number;
}

/** A line the server sends. */
export type ServerMessage =
  | {
    readonly kind: "welcome";
    readonly id: number;
    /** The UDP handshake secret; present when the server offers UDP. */
    readonly udpSecret?: string;
  }
  | { readonly kind: "logged-out" }
  | { readonly kind: "room-list"; readonly rooms: readonly RoomCount[] }
  | { readonly kind: "joined"; readonly id: number; readonly room: string }
  | { readonly kind: "left"; readonly id: number }
  | {
    readonly kind: "message";
    readonly from: number;
    readonly payload: Uint8Array;
  }
  | { readonly kind: "master"; readonly id: number }
  /** `6:<id>:away`: user `id` lost its connection; its session is held for it. */
  | { readonly kind: "away"; readonly id: number }
  /** `6:<id>:back`: user `id` resumed its session. */
  | { readonly kind: "back"; readonly id: number }
  | {
    /** A message from the server's operator, for people; ignorable. */
    readonly kind: "notice";
    /** A {@linkcode NoticeScope} value (a newer server may send others). */
    readonly scope: string;
    readonly text: string;
  }
  | {
    readonly kind: "error";
    readonly command: string;
    readonly code: string;
    readonly text: string;
  };

/**
 * Stable codes of the error line `9:<command>:<code>:<text>`.
 * Programs match the code; the text is for people and may change.
 */
export const ErrorCode = {
  Malformed: "malformed",
  UnknownCommand: "unknown-command",
  LineTooLong: "line-too-long",
  InvalidName: "invalid-name",
  NotInRoom: "not-in-room",
  AlreadyInRoom: "already-in-room",
  WrongPassword: "wrong-password",
  RoomFull: "room-full",
  TooManyRooms: "too-many-rooms",
  NoRecipients: "no-recipients",
  UnknownRecipients: "unknown-recipients",
  TooManyRecipients: "too-many-recipients",
  UnknownGroup: "unknown-group",
  TooManyGroups: "too-many-groups",
  TooManyMembers: "too-many-members",
  RateLimited: "rate-limited",
  ServerFull: "server-full",
  TooManyConnections: "too-many-connections",
  IdleTimeout: "idle-timeout",
  LoginTimeout: "login-timeout",
  Internal: "internal",
  /** The session ended because its user logged in on another connection. */
  Superseded: "superseded",
  /** The session ended because its account was disabled, removed or re-passworded. */
  Revoked: "revoked",
  /** An administrator ended the session. */
  Kicked: "kicked",
  /** The server is stopping. */
  ShuttingDown: "shutting-down",
  /**
   * A resume (`7:<id>:<token>:<n>`) was refused: no such resumable session
   * (ended, or its window passed), a wrong token, or counts that do not
   * match. The client logs in afresh.
   */
  ResumeRefused: "resume-refused",
  /**
   * The session is no longer resumable: more of the server's lines went
   * unacknowledged than the resume buffer holds.
   */
  ResumeLost: "resume-lost",
  /** Too many password checks are waiting: try again in a moment. */
  Busy: "busy",
  /** The deployment's shared store (Redis) cannot be reached: try again later. */
  Unavailable: "unavailable",
} as const;

/** One of the {@linkcode ErrorCode} values. */
export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode];
