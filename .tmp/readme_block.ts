import { RelayClient } from "../client/mod.ts";
import { RelayServer } from "../server/mod.ts";

await using server = await RelayServer.start({ port: 0 });
await using client = await RelayClient.connect({
  port: server.port,
  reconnect: true, // or { maxDelayMs, giveUpAfterMs, heartbeatMs, ... }
});
client.on(
  "disconnected",
  (e) => console.log("dropped; resumable:", e.resumable),
);
client.on("resumed", (e) => console.log(`resumed after ${e.downtimeMs} ms`));
client.on(
  "session-ended",
  (e) => console.log(`ended (${e.code}): ${e.reason}`),
);
client.on(
  "rejoined",
  (e) => console.log(`session ${e.sessionId} in ${e.room}`),
);
await client.login("ada");
await client.join("lobby");
const back = new Promise((resolve) => client.on("resumed", resolve));
client.dropConnection(); // what a lost Wi-Fi does to the connection
await client.sendToAll("sent while down, delivered on resume");
await back;
