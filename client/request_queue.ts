/**
 * Matches the server's answers to the requests that caused them.
 *
 * The server handles one connection's lines in order and answers them in
 * order, so the answers to requests come back in the order the requests were
 * sent: the oldest open request owns the next answer of its kind. Every line
 * that gets an answer must be tracked, including raw ones, or the queue
 * would pair answers with the wrong request. No I/O.
 *
 * | request    | done on                              | refused on              |
 * | ---------- | ------------------------------------ | ----------------------- |
 * | login      | `0:id`                               | `0:-1`, `9:0:…`         |
 * | list-rooms | `1:…`                                | `0:-1`, `9:1:…`         |
 * | join       | own `2:id:room`, members, then `4:`  | `0:-1`, `9:2:…`         |
 * | leave      | own `2:id:`                          | `0:-1`, `9:2:…`         |
 * | one-reply  | `0:-1` or `9:<command>:…` (a line sent while logged out) | |
 *
 * @example
 * ```ts
 * import { RequestQueue } from "./request_queue.ts";
 * const queue = new RequestQueue();
 * const id = queue.track({ kind: "login", username: "ada" });
 * queue.offer({ kind: "welcome", id: 7 }, null);
 * console.assert((await id) === 7);
 * ```
 * @module
 */
import type { RoomCount, ServerMessage } from "../protocol/mod.ts";
import { LoginRefusedError, NotLoggedInError, RefusedError } from "./errors.ts";

/** What a successful join reports. */
export interface JoinResult {
  /** The room joined. */
  readonly room: string;
  /** Its members in join order, us last. */
  readonly members: readonly number[];
  /** Its master client. */
  readonly master: number;
}

/** A request whose answer is awaited. */
export type Request =
  | { readonly kind: "login"; readonly username: string }
  | { readonly kind: "list-rooms" }
  | { readonly kind: "join"; readonly room: string }
  | { readonly kind: "leave" }
  | { readonly kind: "one-reply"; readonly command: string };

/** What each request resolves to. */
export interface RequestResults {
  "login": number;
  "list-rooms": readonly RoomCount[];
  "join": JoinResult;
  "leave": void;
  "one-reply": void;
}

interface Entry {
  readonly request: Request;
  /** For joins: our own line has arrived, these members came after it. */
  seenSelf: boolean;
  readonly others: number[];
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Open requests, oldest first. */
export class RequestQueue {
  readonly #entries: Entry[] = [];

  /** How many requests are waiting for their answer. */
  get length(): number {
    return this.#entries.length;
  }

  /** True when a login is waiting for its answer. */
  get loginPending(): boolean {
    return this.#entries.some((e) => e.request.kind === "login");
  }

  /** Starts waiting for the answer to `request`, sent just now. */
  track<R extends Request>(request: R): Promise<RequestResults[R["kind"]]> {
    return new Promise((resolve, reject) => {
      this.#entries.push({
        request,
        seenSelf: false,
        others: [],
        resolve: resolve as (value: unknown) => void,
        reject,
      });
    });
  }

  /**
   * Offers the next message from the server; settles the oldest request if
   * the message answers it. `self` is our session id as known before this
   * message.
   */
  offer(msg: ServerMessage, self: number | null): void {
    const head = this.#entries[0];
    if (head === undefined) return;
    const request = head.request;
    if (msg.kind === "error") {
      if (msg.command !== commandOf(request)) return;
      this.#settle((e) =>
        request.kind === "one-reply"
          ? e.resolve(undefined)
          : e.reject(new RefusedError(msg.command, msg.code, msg.text))
      );
      return;
    }
    if (msg.kind === "logged-out") {
      this.#settle((e) =>
        request.kind === "login"
          ? e.reject(new LoginRefusedError(request.username))
          : request.kind === "one-reply"
          ? e.resolve(undefined)
          : e.reject(new NotLoggedInError(request.kind))
      );
      return;
    }
    switch (request.kind) {
      case "login":
        if (msg.kind === "welcome") this.#settle((e) => e.resolve(msg.id));
        return;
      case "list-rooms":
        if (msg.kind === "room-list") {
          this.#settle((e) => e.resolve(msg.rooms));
        }
        return;
      case "leave":
        if (msg.kind === "left" && msg.id === self) {
          this.#settle((e) => e.resolve(undefined));
        }
        return;
      case "join":
        return this.#offerJoin(head, request.room, msg, self);
      case "one-reply":
        return;
    }
  }

  #offerJoin(
    head: Entry,
    room: string,
    msg: ServerMessage,
    self: number | null,
  ): void {
    if (msg.kind === "joined" && msg.room === room) {
      if (msg.id === self) head.seenSelf = true;
      else if (head.seenSelf) head.others.push(msg.id);
    } else if (msg.kind === "master" && head.seenSelf && self !== null) {
      const members = [...head.others, self];
      this.#settle((e) => e.resolve({ room, members, master: msg.id }));
    }
  }

  /** Rejects every open request with `error` (the connection ended). */
  failAll(error: Error): void {
    for (const entry of this.#entries.splice(0)) entry.reject(error);
  }

  #settle(how: (entry: Entry) => void): void {
    how(this.#entries.shift()!);
  }
}

/** The command number the server puts in error lines for `request`. */
function commandOf(request: Request): string {
  switch (request.kind) {
    case "login":
      return "0";
    case "list-rooms":
      return "1";
    case "join":
    case "leave":
      return "2";
    case "one-reply":
      return request.command;
  }
}
