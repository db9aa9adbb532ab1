import { RelayClient } from "/work/wt/issue16/client/mod.ts";
import { RelayServer } from "/work/wt/issue16/server/mod.ts";
const reconnect = Deno.args[0] === "on";
const server = await RelayServer.start({
  port: 0,
  limits: { resumeBufferBytes: 64 << 20 },
});
const a = await RelayClient.connect({ port: server.port, reconnect });
const b = await RelayClient.connect({ port: server.port, reconnect });
await a.login("a");
await b.login("b");
await a.join("r");
await b.join("r");
let got = 0;
b.onMessage(() => got++);
const t0 = performance.now();
let sent = 0;
const pad = "x".repeat(700);
while (performance.now() - t0 < 3000) {
  const batch = [];
  for (let i = 0; i < 40; i++) batch.push(a.sendToOthers(`${sent++} ${pad}`));
  await Promise.all(batch);
}
const t1 = performance.now();
while (got < sent) await new Promise((r) => setTimeout(r, 20));
const t2 = performance.now();
console.log(
  `reconnect=${reconnect} sent ${sent} in ${
    (t1 - t0).toFixed(0)
  } ms, all received after ${
    (t2 - t0).toFixed(0)
  } ms; holds ${server.flow.stats.holds} stalls ${server.flow.stats.stalls}`,
);
await a.close();
await b.close();
await server.close();
