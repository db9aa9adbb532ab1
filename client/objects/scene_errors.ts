/**
 * The errors of the network-object layer. Each subclasses the nearest
 * built-in and carries a stable `code`.
 *
 * @example
 * ```ts
 * import { NotOwnerError } from "./scene_errors.ts";
 * const error = new NotOwnerError("7-1", "set");
 * console.assert(error.code === "not-owner" && error instanceof Error);
 * ```
 * @module
 */
import { ClientError } from "../errors.ts";

/** The stable codes of the scene's errors. */
export const SceneErrorCode = {
  NotOwner: "not-owner",
  UnknownObject: "unknown-object",
  WireFormat: "wire-format",
  SyncTimeout: "sync-timeout",
  SyncOverflow: "sync-overflow",
  TooManyObjects: "too-many-objects",
  SceneClosed: "scene-closed",
} as const;

/** A scene message that does not follow docs/network-objects.md. */
export class WireFormatError extends SyntaxError {
  /** Stable code for programs. */
  readonly code = SceneErrorCode.WireFormat;
  /** Creates the error with what is wrong. */
  constructor(message: string) {
    super(message);
    this.name = "WireFormatError";
  }
}

/** Only an object's owner may change or destroy it. */
export class NotOwnerError extends ClientError {
  /** Creates the error for `action` on object `id`. */
  constructor(readonly id: string, action: string) {
    super(SceneErrorCode.NotOwner, `${action} ${id}: not its owner`);
    this.name = "NotOwnerError";
  }
}

/** No object with this id is in the scene. */
export class UnknownObjectError extends ClientError {
  /** Creates the error for object `id`. */
  constructor(readonly id: string) {
    super(SceneErrorCode.UnknownObject, `no object ${id} in the scene`);
    this.name = "UnknownObjectError";
  }
}

/** Joining a scene could not finish (see the code). */
export class SceneSyncError extends ClientError {
  /** Creates the error with code `sync-timeout` or `sync-overflow`. */
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = "SceneSyncError";
  }
}

/** The scene has ended: left, or the connection closed. */
export class SceneClosedError extends ClientError {
  /** Creates the error; `cause` says why the scene ended, when known. */
  constructor(message = "the scene has ended", options?: ErrorOptions) {
    super(SceneErrorCode.SceneClosed, message, options);
    this.name = "SceneClosedError";
  }
}

/** The scene holds `maxObjects` already. */
export class TooManyObjectsError extends ClientError {
  /** Creates the error for a cap of `max`. */
  constructor(readonly max: number) {
    super(
      SceneErrorCode.TooManyObjects,
      `the scene holds its limit of ${max} objects`,
    );
    this.name = "TooManyObjectsError";
  }
}
