/** The server's UDP socket APIs, for tests that run once per API. */
import { EpollDatagramTransport } from "../../net/posix/epoll_datagram.ts";
import {
  type DatagramTransport,
  DenoDatagramTransport,
  NodeDatagramTransport,
} from "../../server/mod.ts";

/** Each datagram API by name, with a maker of a fresh transport. */
export const DATAGRAM_APIS: readonly [string, () => DatagramTransport][] = [
  ["deno", () => new DenoDatagramTransport()],
  ["node", () => new NodeDatagramTransport()],
  ["epoll", () => new EpollDatagramTransport()],
];
