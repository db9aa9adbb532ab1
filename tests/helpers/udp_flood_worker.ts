/**
 * A worker that floods a UDP channel from its own thread, so that the test's
 * own event loop (which measures TCP round trips meanwhile) is not the one
 * busy sending. Messages in: `{ udpPort, id, secret, count }` to start (it
 * handshakes, answers `"ready"`, then floods `3:0:f<i>` as fast as it can and
 * repeats `3:0:end` every 20 ms), `"stop"` to end. Out: `"ready"`,
 * `{ flooded: seconds }` once the flood is sent.
 */
/// <reference lib="deno.worker" />
import { UdpClient } from "./udp_client.ts";

let stopped = false;
self.onmessage = async (event: MessageEvent) => {
  if (event.data === "stop") {
    stopped = true;
    return;
  }
  const { udpPort, id, secret, count } = event.data as {
    udpPort: number;
    id: number;
    secret: string;
    count: number;
  };
  const udp = UdpClient.open(udpPort);
  const reply = await udp.handshake(id, secret);
  if (reply !== `0:${id}:connected`) throw new Error(`handshake: ${reply}`);
  self.postMessage("ready");
  const encoder = new TextEncoder();
  const started = performance.now();
  for (let i = 0; i < count; i++) await udp.send(encoder.encode(`3:0:f${i}`));
  self.postMessage({ flooded: (performance.now() - started) / 1000 });
  while (!stopped) {
    await udp.send("3:0:end");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await udp.close();
  self.close();
};
