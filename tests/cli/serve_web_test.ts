/** `serve`'s WebSocket and TLS flags: the ready line, and flag errors. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { OPEN_SERVE_ARGS, runCli, serveChild } from "../helpers/cli.ts";
import { WsLineClient } from "../helpers/ws_line_client.ts";

Deno.test("serve --http-port 0: the ready line names ws:// and http://, and a WebSocket client logs in", async () => {
  await using child = await serveChild(["--http-port", "0"]);
  const port = child.portOf("ws")!;
  assertEquals(child.urls.ws, `ws://127.0.0.1:${port}/ws`);
  assertEquals(child.urls.http, `http://127.0.0.1:${port}/`);
  assertEquals(child.urls.tls, undefined);
  await using ws = await WsLineClient.connect(port);
  assert.match(String(await ws.login("ada")), /^\d+$/);
});

Deno.test("serve: TLS flags that cannot work exit 2 with a clear message", async () => {
  const cases: [string[], RegExp][] = [
    [["--tls-port", "0"], /--tls-port needs --tls-cert and --tls-key/],
    [
      ["--tls-cert", "/nonexistent/cert.pem"],
      /--tls-cert and --tls-key go together/,
    ],
    [
      ["--tls-cert", "/nonexistent/c.pem", "--tls-key", "/nonexistent/k.pem"],
      /cannot read the TLS certificate \/nonexistent\/c\.pem/,
    ],
    [["--allowed-origins", "ftp://x"], /not an origin/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli([...OPEN_SERVE_ARGS, ...args]);
    assert.notEqual(result.code, 0, args.join(" "));
    assert.match(result.stderr, message, args.join(" "));
  }
});
