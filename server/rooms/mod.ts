/**
 * Rooms: membership, master election and ordered fan-out; room locks;
 * declared rooms kept in step with the store, and their administration.
 *
 * @example
 * ```ts
 * import { LocalRooms } from "./mod.ts";
 * const rooms = new LocalRooms({ maxRooms: 10 });
 * console.assert(rooms.size === 0);
 * ```
 * @module
 */
export {
  type DeclaredRoom,
  isRefusal,
  type JoinRefusal,
  LocalRooms,
  Room,
  type RoomRegistry,
} from "./rooms.ts";
export {
  AdHocLock,
  HashedLock,
  OPEN_LOCK,
  type RoomLock,
} from "./room_lock.ts";
export {
  DeclaredRooms,
  type DeclaredRoomsOptions,
  DEFAULT_ROOMS_REFRESH_MS,
} from "./declared_rooms.ts";
export {
  MAX_ROOM_MEMBERS,
  RoomAdmin,
  type RoomSpec,
  type RoomSummary,
} from "./room_admin.ts";
