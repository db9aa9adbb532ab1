/**
 * Session ids from the deployment's counter, and listed recipients (`3:4`,
 * groups) found wherever their sessions are.
 *
 * A `3:4` goes to Redis as one script that looks the ids up and PUBLISHes
 * the line once to each node holding some of them, on the same connection
 * as this node's room messages: so a sender's messages reach each receiver
 * in the order sent, whatever mix of modes it uses.
 *
 * @example
 * ```ts
 * import { ClusterIds } from "./cluster_directory.ts";
 * console.assert(typeof ClusterIds === "function");
 * ```
 * @module
 */
import type { Limits } from "../../protocol/mod.ts";
import type { RemoteRecipients } from "../sessions/recipients.ts";
import {
  type SessionIdSource,
  UnavailableError,
} from "../sessions/session_ids.ts";
import type { ClusterSessions } from "./cluster_sessions.ts";
import { BusType, idsIn } from "./bus_frames.ts";
import type { ClusterNode } from "./cluster_node.ts";
import { SCRIPTS } from "./scripts.ts";
import { highWaterOf } from "../connection/flow.ts";

const LF = 0x0a;

/** Ids from `INCR` on the deployment's counter. */
export class ClusterIds implements SessionIdSource {
  /** Ids of `node`'s deployment. */
  constructor(readonly node: ClusterNode) {}

  async next(): Promise<number> {
    if (performance.now() < this.node.idsFrom) {
      throw new UnavailableError(
        "the deployment is recovering from a Redis that lost its data",
      );
    }
    const id = Number(
      await this.node.bus.command(["INCR", this.node.keys.sessionSeq]),
    );
    // Heartbeats raise the counter to this: a restarted Redis must not
    // hand out an id this node has handed out.
    if (id > this.node.maxIssued) this.node.maxIssued = id;
    return id;
  }
}

/** `3:4` and groups across the deployment; what comes for this node's sessions. */
export class ClusterRecipients implements RemoteRecipients {
  readonly #maxLossyQueuedBytes: number;

  /** Recipients of `node`'s deployment, delivered to `sessions` here. */
  constructor(
    readonly node: ClusterNode,
    readonly sessions: ClusterSessions,
    limits: Limits,
  ) {
    this.#maxLossyQueuedBytes = highWaterOf(limits);
  }

  async send(
    ids: readonly number[],
    frame: Uint8Array,
    lossy: boolean,
  ): Promise<number[] | null> {
    if (ids.length === 0) return null;
    try {
      const missing = await this.node.bus.run(SCRIPTS.direct, [
        this.node.keys.prefix,
        lossy ? "u" : "d",
        frame.slice(),
        ...ids.map(String),
      ]) as string[];
      return missing.length === 0 ? null : missing.map(Number);
    } catch {
      // Redis was lost: the sender's session is being ended with the reason.
      return null;
    }
  }

  pressure(): Promise<void> | undefined {
    return this.node.bus.pressure();
  }

  /** One message on this node's channel. */
  received(data: Uint8Array): void {
    const type = data[0];
    if (type === BusType.Kick) {
      const [id] = idsIn(data, 1, data.length);
      if (id !== undefined) this.sessions.supersededElsewhere(id);
      return;
    }
    const end = data.indexOf(LF);
    if (end === -1) return;
    const line = data.subarray(end + 1);
    const lossy = type === BusType.LossyToOthers;
    const datagram = line.subarray(0, line.length - 1);
    for (const id of idsIn(data, 1, end)) {
      const session = this.sessions.get(id);
      if (session === undefined) continue;
      if (lossy) session.sendLossy(line, datagram, this.#maxLossyQueuedBytes);
      else session.send(line);
    }
  }
}
