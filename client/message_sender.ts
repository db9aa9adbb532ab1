/**
 * The ways a client sends messages: to its room in each mode (`3:`), to
 * users wherever they are (`3:4`), to its groups (`4:`, `5:`). The
 * arguments are checked here; {@linkcode RelayClient} carries the messages.
 *
 * @example
 * ```ts ignore
 * import { RelayClient } from "./mod.ts";
 * const client = await RelayClient.connect({ port: 7777 });
 * await client.sendToOthers("hello"); // a MessageSender method
 * ```
 * @module
 */
import {
  type ClientMessage,
  DEFAULT_LIMITS,
  type RoomSendMode,
  SendMode,
} from "../protocol/mod.ts";
import type { SendOptions } from "./channel.ts";
import { InvalidArgumentError } from "./errors.ts";
import {
  checkIds,
  checkNameArg,
  checkUsersPayload,
  toPayload,
} from "./validate.ts";

/** The send methods of a client, over whatever carries its messages. */
export abstract class MessageSender {
  /**
   * Sends one message over the channel `options` name (TCP by default).
   *
   * @throws {NotLoggedInError} before a login.
   * @throws {UdpUnavailableError} for UDP while its channel is not open.
   */
  protected abstract deliver(
    msg: ClientMessage,
    options?: SendOptions,
  ): Promise<void>;

  /** Sends to the room with `mode` 0–3 (see {@linkcode SendMode}). */
  async send(
    mode: RoomSendMode,
    payload: string | Uint8Array,
    options?: SendOptions,
  ): Promise<void> {
    if (![0, 1, 2, 3].includes(mode)) {
      throw new InvalidArgumentError(`send mode ${mode} is not 0 to 3`);
    }
    return await this.deliver(
      { kind: "send", mode, payload: toPayload(payload) },
      options,
    );
  }

  /** `3:0`: to the others in the room. */
  sendToOthers(payload: string | Uint8Array, options?: SendOptions) {
    return this.send(SendMode.Others, payload, options);
  }

  /** `3:1`: to everyone in the room, us included. */
  sendToAll(payload: string | Uint8Array, options?: SendOptions) {
    return this.send(SendMode.All, payload, options);
  }

  /** `3:2`: to the others, in the room's total order. */
  sendToOthersOrdered(payload: string | Uint8Array, options?: SendOptions) {
    return this.send(SendMode.OthersOrdered, payload, options);
  }

  /** `3:3`: to everyone, in the room's total order. */
  sendToAllOrdered(payload: string | Uint8Array, options?: SendOptions) {
    return this.send(SendMode.AllOrdered, payload, options);
  }

  /** `3:4`: to the listed users, wherever they are. */
  async sendTo(
    ids: readonly number[],
    payload: string | Uint8Array,
    options?: SendOptions,
  ): Promise<void> {
    if (ids.length === 0) throw new InvalidArgumentError("no recipients");
    checkIds("recipients", ids, DEFAULT_LIMITS.maxRecipients);
    const bytes = toPayload(payload);
    checkUsersPayload(bytes);
    return await this.deliver(
      { kind: "send-users", to: ids, payload: bytes },
      options,
    );
  }

  /** `5:`: defines (replaces) our group `group`; no ids deletes it. */
  async defineGroup(group: string, ids: readonly number[]): Promise<void> {
    checkNameArg("group name", group);
    checkIds("group members", ids, DEFAULT_LIMITS.maxGroupMembers);
    return await this.deliver({
      kind: "define-group",
      group,
      members: ids,
    });
  }

  /** `4:`: to the members of our group `group`. */
  async sendToGroup(
    group: string,
    payload: string | Uint8Array,
    options?: SendOptions,
  ): Promise<void> {
    checkNameArg("group name", group);
    return await this.deliver(
      { kind: "send-group", group, payload: toPayload(payload) },
      options,
    );
  }
}
