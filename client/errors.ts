/**
 * The errors of the client library. Each subclasses the nearest built-in,
 * carries a stable `code` for programs, and keeps its `cause`.
 *
 * @example
 * ```ts
 * import { LoginRefusedError, RefusedError } from "./errors.ts";
 * const handle = (error: unknown) => {
 *   if (error instanceof LoginRefusedError) return "wrong name or password";
 *   if (error instanceof RefusedError) return `refused: ${error.code}`;
 *   throw error;
 * };
 * console.assert(handle(new LoginRefusedError("ada")) === "wrong name or password");
 * ```
 * @module
 */

/** The stable codes of {@linkcode ClientError}s raised by the library itself. */
export const ClientErrorCode = {
  LoginRefused: "login-refused",
  NotLoggedIn: "not-logged-in",
  ConnectionClosed: "connection-closed",
  ConnectFailed: "connect-failed",
  Timeout: "timeout",
  UdpUnavailable: "udp-unavailable",
  SessionEnded: "session-ended",
} as const;

/** One of the {@linkcode ClientErrorCode} values. */
export type ClientErrorCode =
  typeof ClientErrorCode[keyof typeof ClientErrorCode];

/** A request the server did not grant, or a connection that failed. */
export class ClientError extends Error {
  /**
   * @param code stable, for programs
   * @param message for people
   */
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ClientError";
  }
}

/** The server answered a login with `0:-1`. */
export class LoginRefusedError extends ClientError {
  /** Creates the error for a login as `username`. */
  constructor(readonly username: string) {
    super(
      ClientErrorCode.LoginRefused,
      `login as ${username} refused (wrong name or password)`,
    );
    this.name = "LoginRefusedError";
  }
}

/** The server answered a request with `0:-1`: there is no session (any more). */
export class NotLoggedInError extends ClientError {
  /** Creates the error for a request named `what`. */
  constructor(what: string) {
    super(ClientErrorCode.NotLoggedIn, `${what}: not logged in`);
    this.name = "NotLoggedInError";
  }
}

/**
 * The server refused a command with its error line `9:<command>:<code>:<text>`.
 * `code` is the server's stable code (`wrong-password`, `not-in-room`, …).
 */
export class RefusedError extends ClientError {
  /**
   * @param command the refused command's number (`"2"` for a join)
   * @param code the server's stable code
   * @param reason the server's text, for people
   */
  constructor(
    readonly command: string,
    code: string,
    readonly reason: string,
  ) {
    super(code, `command ${command} refused (${code}): ${reason}`);
    this.name = "RefusedError";
  }
}

/** The connection ended before a request was answered, or was never open. */
export class ConnectionClosedError extends ClientError {
  /** Creates the error; `cause` is the transport's error, if any. */
  constructor(message = "connection closed", options?: ErrorOptions) {
    super(ClientErrorCode.ConnectionClosed, message, options);
    this.name = "ConnectionClosedError";
  }
}

/** Connecting to the server failed (refused, unreachable, timed out). */
export class ConnectFailedError extends ClientError {
  /** Creates the error for `address`, keeping the transport's `cause`. */
  constructor(readonly address: string, options?: ErrorOptions) {
    const why = options?.cause instanceof Error
      ? `: ${options.cause.message}`
      : "";
    super(
      ClientErrorCode.ConnectFailed,
      `cannot connect to ${address}${why}`,
      options,
    );
    this.name = "ConnectFailedError";
  }
}

/** A request got no answer within the request timeout. */
export class RequestTimeoutError extends ClientError {
  /** Creates the error for a request named `what` after `ms`. */
  constructor(what: string, readonly ms: number) {
    super(ClientErrorCode.Timeout, `${what}: no answer within ${ms} ms`);
    this.name = "RequestTimeoutError";
  }
}

/**
 * An argument the protocol cannot carry (a name with `:`, a payload with a
 * newline, a line over the limit). Raised before anything is sent.
 */
export class InvalidArgumentError extends TypeError {
  /** Stable code for programs. */
  readonly code = "invalid-argument";
  /** Creates the error with a message for people. */
  constructor(message: string) {
    super(message);
    this.name = "InvalidArgumentError";
  }
}

/**
 * More bytes are waiting to be written than the client's
 * `maxPendingBytes` allows: the server or network is not keeping up.
 */
export class SendBufferFullError extends RangeError {
  /** Stable code for programs. */
  readonly code = "send-buffer-full";
  /** Creates the error for a cap of `maxPendingBytes`. */
  constructor(readonly maxPendingBytes: number) {
    super(`more than ${maxPendingBytes} bytes waiting to be sent`);
    this.name = "SendBufferFullError";
  }
}

/**
 * The UDP channel cannot be used: the server offers none (no secret in its
 * login reply), the handshake went unanswered, or the channel is not open.
 */
export class UdpUnavailableError extends ClientError {
  /** Creates the error with the reason for people. */
  constructor(reason: string, options?: ErrorOptions) {
    super(ClientErrorCode.UdpUnavailable, `UDP channel: ${reason}`, options);
    this.name = "UdpUnavailableError";
  }
}

/**
 * The session ended before a line sent while disconnected could be
 * delivered: a resume was refused (too late), or the server could not be
 * reached again. `code` says which (`resume-refused`, `unreachable`, ...).
 */
export class SessionEndedError extends ClientError {
  /** Creates the error; `reason` is for people. */
  constructor(readonly endCode: string, reason: string) {
    super(
      ClientErrorCode.SessionEnded,
      `session ended (${endCode}): ${reason}`,
    );
    this.name = "SessionEndedError";
  }
}
