/**
 * The Lua scripts that change the deployment's state. Redis runs one script
 * at a time, start to end, so each is atomic: a join updates a room's member
 * list and PUBLISHes its notice on the room's channel in one step, which is
 * what orders joins, leaves and master changes with the room's messages
 * (published on the same channel) for every node.
 *
 * Every script takes the key prefix as `ARGV[1]` and builds its key names
 * as {@linkcode ClusterKeys} does. They touch keys of several rooms and
 * nodes, which a single Redis allows and Redis Cluster does not (see
 * docs/cluster.md, "Redis Cluster").
 *
 * @example
 * ```ts
 * import { SCRIPTS } from "./scripts.ts";
 * console.assert(SCRIPTS.join.source.includes("RPUSH"));
 * ```
 * @module
 */
import { createHash } from "node:crypto";

/** A script's source and its SHA-1 (for EVALSHA). */
export interface Script {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

function script(name: string, body: string): Script {
  const source = `${PRELUDE}\n${body}`;
  return {
    name,
    source,
    sha: createHash("sha1").update(source).digest("hex"),
  };
}

/**
 * Shared functions. `leave_room` takes a member out, PUBLISHes `l<id>` (with
 * `,<new master>` when the master left and someone remains) and forgets a
 * room that emptied. `reap` ends every session of a node: it leaves its
 * rooms, gives up its usernames and ids.
 */
const PRELUDE = `
local function leave_room(P, room, id)
  local members = P .. 'room:' .. room
  local head = redis.call('LINDEX', members, 0)
  if redis.call('LREM', members, 1, id) == 0 then return 0 end
  local notice = 'l' .. id
  if redis.call('LLEN', members) == 0 then
    redis.call('DEL', P .. 'ri:' .. room)
    redis.call('ZREM', P .. 'rooms', room)
  elseif head == id then
    notice = notice .. ',' .. redis.call('LINDEX', members, 0)
  end
  redis.call('PUBLISH', P .. 'r:' .. room, notice)
  return 1
end

local function reap(P, node)
  redis.call('ZREM', P .. 'nodes', node)
  redis.call('HDEL', P .. 'node-tokens', node)
  local key = P .. 'node:' .. node
  local entries = redis.call('HGETALL', key)
  for i = 1, #entries, 2 do
    local id, value = entries[i], entries[i + 1]
    local sep = string.find(value, '\\31', 1, true)
    local user, room = string.sub(value, 1, sep - 1), string.sub(value, sep + 1)
    if room ~= '' then leave_room(P, room, id) end
    if redis.call('HGET', P .. 'users', user) == id .. ':' .. node then
      redis.call('HDEL', P .. 'users', user)
    end
    redis.call('HDEL', P .. 'sessions', id)
  end
  redis.call('DEL', key)
  return #entries / 2
end
`;

/** The scripts, by what they do. */
export const SCRIPTS = {
  /**
   * ARGV: P, node, token, ttl ms, highest session id issued, "1" when
   * announcing. Renews the node's deadline, raises the session counter to at
   * least what this node issued (a restarted Redis must not hand out old
   * ids again), and reaps every node whose deadline has passed. Returns the
   * number of nodes reaped, or -1 when this node was reaped itself (or its
   * id is another process's now).
   */
  heartbeat: script(
    "heartbeat",
    `
local P, node, token = ARGV[1], ARGV[2], ARGV[3]
local ttl, issued = tonumber(ARGV[4]), tonumber(ARGV[5])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local nodes = P .. 'nodes'
if ARGV[6] == '1' then
  redis.call('HSET', P .. 'node-tokens', node, token)
elseif redis.call('HGET', P .. 'node-tokens', node) ~= token
    or not redis.call('ZSCORE', nodes, node) then
  return -1
end
redis.call('ZADD', nodes, now + ttl, node)
local seq = P .. 'seq:session'
if tonumber(redis.call('GET', seq) or '0') < issued then
  redis.call('SET', seq, issued)
end
local dead = redis.call('ZRANGEBYSCORE', nodes, '-inf', '(' .. now)
for _, d in ipairs(dead) do reap(P, d) end
return #dead
`,
  ),

  /** ARGV: P, node. Ends what is left of a node (leaving, or an old id). */
  reap: script("reap", `return reap(ARGV[1], ARGV[2])`),

  /**
   * ARGV: P, username, id, node. Claims the username for this session and
   * records the session; a session of the same user on another node is
   * told to end (`k<id>` on its node's channel). Returns the old claim or
   * false.
   */
  claim: script(
    "claim",
    `
local P, user, id, node = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local old = redis.call('HGET', P .. 'users', user)
redis.call('HSET', P .. 'users', user, id .. ':' .. node)
redis.call('HSET', P .. 'sessions', id, node)
redis.call('HSET', P .. 'node:' .. node, id, user .. '\\31')
if old then
  local sep = string.find(old, ':', 1, true)
  local oldNode = string.sub(old, sep + 1)
  if oldNode ~= node then
    redis.call('PUBLISH', P .. 'n:' .. oldNode, 'k' .. string.sub(old, 1, sep - 1))
  end
end
return old
`,
  ),

  /** ARGV: P, username, id, node. Forgets an ended session. */
  release: script(
    "release",
    `
local P, user, id, node = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HGET', P .. 'users', user) == id .. ':' .. node then
  redis.call('HDEL', P .. 'users', user)
end
redis.call('HDEL', P .. 'sessions', id)
redis.call('HDEL', P .. 'node:' .. node, id)
return 1
`,
  ),

  /**
   * ARGV: P, room, id, node, username, lock digest (hex, or empty), "1" if
   * declared, member limit (0: none), rooms limit, declared rooms count,
   * "1" for a dry run (check only: a refused join must be refused before
   * the client leaves its current room). Returns "ok" or the refusal's
   * error code. On success the member list, joiner last, is PUBLISHed as
   * `j<id>,<id>,…`.
   */
  join: script(
    "join",
    `
local P, room, id, node, user, digest = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local declared = ARGV[7] == '1'
local max, maxRooms, ndeclared = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local dry = ARGV[11] == '1'
local members = P .. 'room:' .. room
local n = redis.call('LLEN', members)
if max > 0 and n >= max then return 'room-full' end
if n == 0 then
  if not declared then
    if redis.call('ZCARD', P .. 'rooms') + ndeclared >= maxRooms then
      return 'too-many-rooms'
    end
    if dry then return 'ok' end
    local time = redis.call('TIME')
    redis.call('ZADD', P .. 'rooms', tonumber(time[1]) * 1000000 + tonumber(time[2]), room)
    redis.call('HSET', P .. 'ri:' .. room, 'lock', digest)
  end
elseif not declared then
  local lock = redis.call('HGET', P .. 'ri:' .. room, 'lock')
  if lock and lock ~= '' and lock ~= digest then return 'wrong-password' end
end
if dry then return 'ok' end
redis.call('RPUSH', members, id)
redis.call('HSET', P .. 'node:' .. node, id, user .. '\\31' .. room)
redis.call('PUBLISH', P .. 'r:' .. room, 'j' .. table.concat(redis.call('LRANGE', members, 0, -1), ','))
return 'ok'
`,
  ),

  /** ARGV: P, room, id, node, username. Leaves; returns 1, or 0 if not a member. */
  leave: script(
    "leave",
    `
local P, room, id, node, user = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('HEXISTS', P .. 'node:' .. node, id) == 1 then
  redis.call('HSET', P .. 'node:' .. node, id, user .. '\\31')
end
return leave_room(P, room, id)
`,
  ),

  /**
   * ARGV: P, kind (`d` reliable, `u` lossy), frame, ids… PUBLISHes
   * `<kind><ids>\\n<frame>` once to each node that holds some of the ids;
   * returns the ids that have no session.
   */
  direct: script(
    "direct",
    `
local P, kind, frame = ARGV[1], ARGV[2], ARGV[3]
local byNode, order, missing = {}, {}, {}
for i = 4, #ARGV do
  local node = redis.call('HGET', P .. 'sessions', ARGV[i])
  if node then
    local list = byNode[node]
    if list == nil then
      list = {}
      byNode[node] = list
      order[#order + 1] = node
    end
    list[#list + 1] = ARGV[i]
  else
    missing[#missing + 1] = ARGV[i]
  end
end
for _, node in ipairs(order) do
  redis.call('PUBLISH', P .. 'n:' .. node, kind .. table.concat(byNode[node], ',') .. '\\n' .. frame)
end
return missing
`,
  ),

  /**
   * ARGV: P, declared room names… Returns `{ {name, count, lock, …},
   * {count of each declared room} }`, ad-hoc rooms oldest first.
   */
  list: script(
    "list",
    `
local P = ARGV[1]
local rooms = {}
for _, room in ipairs(redis.call('ZRANGE', P .. 'rooms', 0, -1)) do
  rooms[#rooms + 1] = room
  rooms[#rooms + 1] = redis.call('LLEN', P .. 'room:' .. room)
  rooms[#rooms + 1] = redis.call('HGET', P .. 'ri:' .. room, 'lock') or ''
end
local counts = {}
for i = 2, #ARGV do counts[#counts + 1] = redis.call('LLEN', P .. 'room:' .. ARGV[i]) end
return { rooms, counts }
`,
  ),
} as const;
