/**
 * Switchboard's wire protocol, version 1: typed messages, the decoder, the
 * encoder, the line framer and the limits. No I/O; shared by server and
 * client.
 *
 * @example
 * ```ts
 * import { decodeClientLine, encodeClientMessage } from "./mod.ts";
 * const bytes = encodeClientMessage({ kind: "join", room: "lobby", password: "" });
 * const msg = decodeClientLine(bytes.subarray(0, bytes.length - 1));
 * console.assert(msg.kind === "join");
 * ```
 * @module
 */
export * from "./messages.ts";
export * from "./limits.ts";
export * from "./names.ts";
export * from "./line_framer.ts";
export * from "./decode.ts";
export * from "./decode_server.ts";
export * from "./encode.ts";
export * from "./frame_builder.ts";
export * from "./udp.ts";
export * from "./line_log.ts";
export * from "./resume.ts";
export * from "./ack_counter.ts";
