/**
 * Network object ids: `<creatorId>-<counter>`, where the creator is a
 * session id, or `-1` for the scene objects every client declares.
 *
 * @example
 * ```ts
 * import { objectId, parseObjectId, sceneObjectId } from "./object_id.ts";
 * console.assert(objectId(7, 3) === "7-3");
 * console.assert(sceneObjectId(2) === "-1-2");
 * console.assert(parseObjectId("-1-2")?.creator === -1);
 * ```
 * @module
 */

/** The creator part of a scene object's id. */
export const SCENE_CREATOR = -1;

/** The parts of an object id. */
export interface ObjectIdParts {
  /** The creator's session id, or {@linkcode SCENE_CREATOR}. */
  readonly creator: number;
  /** The creator's counter, from 1. */
  readonly counter: number;
}

const ID = /^(-1|0|[1-9]\d{0,14})-([1-9]\d{0,14})$/;

/** The id of the `counter`th object `creator` instantiates. */
export function objectId(creator: number, counter: number): string {
  return `${creator}-${counter}`;
}

/** The id of the `n`th declared scene object (from 1). */
export function sceneObjectId(n: number): string {
  return objectId(SCENE_CREATOR, n);
}

/** The parts of `id`, or null when it is not an object id. */
export function parseObjectId(id: string): ObjectIdParts | null {
  const match = ID.exec(id);
  if (match === null) return null;
  return { creator: Number(match[1]), counter: Number(match[2]) };
}
