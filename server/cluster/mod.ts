/**
 * Many servers, one deployment: rooms, presence and session ids shared
 * through Redis, so that any client can connect to any node and a room's
 * members may be on different nodes (docs/cluster.md). Behind the
 * interfaces the single server uses ({@linkcode Deployment}): without
 * `--cluster` none of this runs.
 *
 * @example
 * ```ts
 * import { clusterTarget } from "./mod.ts";
 * const target = await clusterTarget("redis://127.0.0.1:6379");
 * console.assert(target.prefix === "sb:");
 * ```
 * @module
 */
export {
  ClusterNode,
  type ClusterNodeOptions,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_PENDING_BYTES,
  DEFAULT_NODE_TTL_MS,
  DEFAULT_RECONNECT_MS,
} from "./cluster_node.ts";
export {
  type ClusterTarget,
  clusterTarget,
  type ClusterTargetOptions,
  ClusterUrlError,
  PASSWORD_ENV,
} from "./cluster_url.ts";
export { ClusterKeys } from "./keys.ts";
export type { Deployment, DeploymentParts } from "../deployment.ts";
