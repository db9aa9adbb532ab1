/**
 * A room-password check run as a throttled guess (see
 * server/accounts/room_password_throttle.ts): admitted or refused unchecked
 * (`9:<cmd>:rate-limited:…`), delayed before the check when the session, its
 * address or the room have failed too often, counted by its outcome, and
 * refused as `busy` when the hasher's queue is full. The connection holds
 * its later lines meanwhile, like during a login.
 *
 * @example
 * ```ts
 * import { throttledGuess } from "./room_guess.ts";
 * console.assert(typeof throttledGuess === "function");
 * ```
 * @module
 */
import { ErrorCode } from "../../protocol/mod.ts";
import type { GuessOutcome } from "../accounts/guess_throttle.ts";
import { CheckQueueBusyError } from "../accounts/password_hasher.ts";
import type { RoomGuessTicket } from "../accounts/room_password_throttle.ts";
import { sleep } from "../accounts/sleep.ts";
import type { ServerContext } from "../context.ts";
import type { Session } from "../sessions/session.ts";
import { refuse } from "./refuse.ts";

/** What a guess is, for the throttle and the log. */
export interface Guess<T> {
  /** `1` (a listing) or `2` (a join): the command refusals name. */
  readonly command: "1" | "2";
  /** The room guessed at; absent for a listing. */
  readonly room?: string;
  /** Admits the guess: a ticket, or null to refuse it unchecked. */
  readonly admit: (now: number) => RoomGuessTicket | null;
  /** The check itself. */
  readonly check: () => T | Promise<T>;
  /** What the check's result counts as. */
  readonly outcome: (result: T) => GuessOutcome;
}

/**
 * Runs `guess` for `session`; resolves to the check's result, or to null
 * when the guess was refused (the refusal is sent) or the session ended
 * while it waited.
 */
export async function throttledGuess<T>(
  ctx: ServerContext,
  session: Session,
  guess: Guess<T>,
): Promise<T | null> {
  const throttle = ctx.roomGuesses!;
  const now = () => performance.now();
  const ticket = guess.admit(now());
  const fields = {
    session: session.id,
    remote: session.link.remoteAddress,
    room: guess.room,
  };
  if (ticket === null) {
    ctx.logger.warn("room.guess_throttled", { ...fields, refused: true });
    refuse(
      session,
      guess.command,
      ErrorCode.RateLimited,
      "too many wrong room passwords; try again later",
    );
    return null;
  }
  let outcome: GuessOutcome = "none";
  try {
    if (ticket.waitMs > 0) {
      ctx.logger.info("room.guess_throttled", {
        ...fields,
        wait_ms: Math.round(ticket.waitMs),
      });
      await sleep(ticket.waitMs, ctx.signal);
    }
    if (!session.active || ctx.signal?.aborted) return null;
    let result: T;
    try {
      result = await guess.check();
    } catch (error) {
      if (!(error instanceof CheckQueueBusyError)) throw error;
      if (session.active) {
        refuse(
          session,
          guess.command,
          ErrorCode.Busy,
          "the server is checking too many passwords; try again in a moment",
        );
      }
      return null;
    }
    outcome = guess.outcome(result);
    return result;
  } finally {
    throttle.end(ticket, outcome, now());
  }
}
