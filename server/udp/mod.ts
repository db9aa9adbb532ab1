/**
 * The UDP channel: the listener, channels bound by a verified handshake,
 * the lossy relay, and its counters.
 *
 * @example
 * ```ts
 * import { UdpStats } from "./mod.ts";
 * console.assert(new UdpStats().datagramsIn === 0);
 * ```
 * @module
 */
export { Delivery, type UdpChannel } from "./udp_channel.ts";
export { UdpChannels } from "./udp_channels.ts";
export {
  UdpBindError,
  UdpListener,
  type UdpListenerOptions,
} from "./udp_listener.ts";
export { type PackedSink, packMessages } from "./udp_packing.ts";
export { relayDatagram } from "./udp_relay.ts";
export { newUdpSecret, udpSecretMatches } from "./udp_secret.ts";
export { DropReason, UdpStats, type UdpStatsSnapshot } from "./udp_stats.ts";
