/**
 * Network objects: a room's shared scene of objects with owners, fields
 * sent only when they change, ownership claims in the room's order, and
 * late joiners brought up to date by the owners. The wire format is
 * documented in docs/network-objects.md for other clients (Unity/C#).
 *
 * @example
 * ```ts ignore
 * import { NetworkScene, vec3 } from "./mod.ts";
 * const scene = await NetworkScene.join(client, "room", { tickHz: 20 });
 * const obj = scene.instantiate("avatar", { pos: vec3(0, 0, 0), name: "ada" }, { boundToOwner: true });
 * obj.set("pos", vec3(1, 0, 0));
 * ```
 * @module
 */
export {
  type InstantiateOptions,
  NetworkScene,
  type ObjectSnapshot,
} from "./network_scene.ts";
export { NetworkObject } from "./network_object.ts";
export type { SceneEventMap } from "./scene_events.ts";
export {
  DEFAULT_SCENE_LIMITS,
  type SceneLimits,
  type SceneObjectSpec,
  type SceneOptions,
} from "./scene_options.ts";
export {
  type Fields,
  FieldType,
  type FieldValue,
  vec2,
  vec3,
  vec4,
  type Vector,
} from "./field_value.ts";
export * from "./scene_errors.ts";
export { decodeSceneMessage, encodeSceneMessage } from "./scene_codec.ts";
export type {
  OwnedObject,
  SceneMessage,
  UpdateEntry,
} from "./scene_message.ts";
export type { FieldEntry, ObjectDescription } from "./object_description.ts";
