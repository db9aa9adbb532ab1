/** `serve` UDP flags as a child process: ready line, handshake, legacy, off. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { LineClient } from "../helpers/line_client.ts";
import { serveChild, spawnCli } from "../helpers/cli.ts";
import { UdpClient } from "../helpers/udp_client.ts";

Deno.test("serve: UDP on the TCP port's number by default; a secure handshake and a relay", async () => {
  await using child = await serveChild(["--log-level", "warn"]);
  assertEquals(child.udpPort, child.port, "udp://H:P with the same port");
  await using tcp = await LineClient.connect(child.port);
  const { id, secret } = await tcp.welcome("ada");
  assert.ok(secret !== null);
  await tcp.send("2:lobby");
  assertEquals(await tcp.take(2), [`2:${id}:lobby`, `4:${id}`]);
  await using udp = UdpClient.open(child.udpPort!);
  assertEquals(await udp.handshake(id, secret), `0:${id}:connected`);
  await udp.send("3:1:pose");
  assertEquals(await udp.next(), `3:${id}:pose`);
});

Deno.test("serve: --udp-legacy --udp-port 0 takes the bare handshake on its own port", async () => {
  await using child = await serveChild(["--udp-port", "0", "--udp-legacy"]);
  await using tcp = await LineClient.connect(child.port);
  const id = await tcp.login("ada");
  await using udp = UdpClient.open(child.udpPort!);
  assertEquals(await udp.handshake(id), `0:${id}:connected`);
});

Deno.test("serve: packing by default; --no-udp-packing accepts :pack but never packs", async () => {
  for (
    const [args, packing] of [[[], true], [
      ["--no-udp-packing"],
      false,
    ]] as const
  ) {
    await using child = await serveChild([...args]);
    await using tcp = await LineClient.connect(child.port);
    const { id, secret } = await tcp.welcome("ada");
    await using udp = UdpClient.open(child.udpPort!);
    assertEquals(
      await udp.handshake(id, `${secret}:pack`),
      `0:${id}:connected`,
    );
    child.process.kill("SIGTERM");
    assertEquals((await child.process.status).code, 0);
    const logs = await child.stderrText();
    assert.match(logs, new RegExp(`event=udp\\.listen .*packing=${packing}`));
    assert.match(
      logs,
      new RegExp(`event=udp\\.channel session=${id} .*packing=${packing}`),
    );
    assert.match(logs, /event=udp\.stats .*messages_out=0 messages_packed=0/);
  }
});

Deno.test("serve: --no-udp prints no udp:// and answers logins 0:id", async () => {
  await using child = await serveChild(["--no-udp"]);
  assertEquals(child.udpPort, null);
  await using tcp = await LineClient.connect(child.port);
  await tcp.send("0:ada:pw");
  assertEquals(await tcp.next(), "0:1");
});

Deno.test("serve: bad UDP flags are refused", async () => {
  for (
    const args of [
      [
        "serve",
        "--auth",
        "open",
        "--db",
        ":memory:",
        "--max-datagram-bytes",
        "10",
      ],
      ["serve", "--auth", "open", "--db", ":memory:", "--udp-port", "70000"],
      [
        "serve",
        "--auth",
        "open",
        "--db",
        ":memory:",
        "--no-udp",
        "--udp-port",
        "9000",
      ],
      [
        "serve",
        "--auth",
        "open",
        "--db",
        ":memory:",
        "--no-udp",
        "--udp-legacy",
      ],
    ]
  ) {
    await using child = spawnCli(args);
    const status = await child.process.status;
    assert.notEqual(status.code, 0, args.join(" "));
    assert.ok((await child.stderrText()).length > 0);
  }
});

Deno.test("serve: a UDP port in use is a clear error, not a crash", async () => {
  const taken = Deno.listenDatagram({
    transport: "udp",
    hostname: "127.0.0.1",
    port: 0,
  });
  const port = (taken.addr as Deno.NetAddr).port;
  try {
    await using child = spawnCli([
      "serve",
      "--auth",
      "open",
      "--db",
      ":memory:",
      "--port",
      "0",
      "--udp-port",
      String(port),
    ]);
    const status = await child.process.status;
    assertEquals(status.code, 2);
    assert.match(
      await child.stderrText(),
      new RegExp(
        `cannot listen on udp://127\\.0\\.0\\.1:${port}: .*in use`,
        "i",
      ),
    );
  } finally {
    taken.close();
  }
});
