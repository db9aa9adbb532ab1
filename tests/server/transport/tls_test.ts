/**
 * TLS: a plain client on the TLS port is refused cleanly, a silent one is
 * cut at the handshake deadline, the UDP secret never crosses the wire in
 * clear, and `serve` reloads its certificate on SIGHUP while sessions go on.
 * Certificates are made by openssl for each test (tests/helpers/certs.ts).
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { hasOpenssl, makeCertificates } from "../../helpers/certs.ts";
import { serveChild } from "../../helpers/cli.ts";
import { LineClient } from "../../helpers/line_client.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { RelayServer } from "../../../server/mod.ts";
import { DEADLINE_MS } from "../../helpers/inbox.ts";

const ignore = !hasOpenssl();
const why = ignore ? " (ignored: no openssl)" : "";
const encoder = new TextEncoder();

async function readAll(conn: Deno.Conn): Promise<Uint8Array> {
  const chunks: number[] = [];
  const buffer = new Uint8Array(4096);
  const deadline = setTimeout(() => conn.close(), DEADLINE_MS);
  try {
    while (true) {
      const n = await conn.read(buffer);
      if (n === null) break;
      chunks.push(...buffer.subarray(0, n));
    }
  } catch {
    // reset: the same as the end for this test
  } finally {
    clearTimeout(deadline);
  }
  return Uint8Array.from(chunks);
}

Deno.test({
  name:
    `tls: a plain-text client on the TLS port is closed without a session${why}`,
  ignore,
  fn: async () => {
    await using certs = await makeCertificates();
    const logger = new LogCapture();
    await using server = await RelayServer.start({
      port: 0,
      logger,
      tls: { certificate: certs.certificate, port: 0 },
    });
    const plain = await Deno.connect({
      hostname: "127.0.0.1",
      port: server.tlsPort,
    });
    await plain.write(encoder.encode("0:ada:pw\n2:lobby\n"));
    const answer = new TextDecoder().decode(await readAll(plain));
    try {
      plain.close();
    } catch {
      // closed by the deadline
    }
    assert.ok(!answer.includes("0:1"), "no login reply in clear");
    await logger.until(
      () => logger.count("tls.handshake_failed") === 1,
      "tls.handshake_failed",
    );
    assertEquals(server.sessionCount, 0);
    assertEquals(server.connectionCount, 0);
    // The port still serves TLS clients.
    await using good = await LineClient.connectTls(server.tlsPort, certs.caPem);
    assert.match(String(await good.login("ada")), /^\d+$/);
  },
});

Deno.test({
  name:
    `tls: a client that never starts the handshake is given up at the deadline${why}`,
  ignore,
  fn: async () => {
    await using certs = await makeCertificates();
    const logger = new LogCapture();
    await using server = await RelayServer.start({
      port: 0,
      logger,
      tls: {
        certificate: certs.certificate,
        port: 0,
        handshakeTimeoutMs: 300,
      },
    });
    // Deno cannot close a TLS connection before its handshake: the socket
    // stays until the client goes (docs/operations.md, "TLS"); the server
    // gives up on it at the deadline and never makes it a connection.
    const silent = await Deno.connect({
      hostname: "127.0.0.1",
      port: server.tlsPort,
    });
    await logger.until(
      () => logger.count("tls.handshake_failed") === 1,
      "tls.handshake_failed",
    );
    assert.match(
      String(logger.of("tls.handshake_failed")[0]!.fields.error),
      /no TLS handshake within 300 ms/,
    );
    assertEquals(server.connectionCount, 0);
    silent.close();
  },
});

Deno.test({
  name: `tls: the login reply's UDP secret is not on the wire in clear${why}`,
  ignore,
  fn: async () => {
    await using certs = await makeCertificates();
    await using server = await RelayServer.start({
      port: 0,
      tls: { certificate: certs.certificate, port: 0 },
    });
    // A tap between client and server keeps every byte the server sends.
    const tap = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const seen: number[] = [];
    const relaying = (async () => {
      const inner = await tap.accept();
      const outer = await Deno.connect({
        hostname: "127.0.0.1",
        port: server.tlsPort,
      });
      const pump = async (from: Deno.Conn, to: Deno.Conn, keep: boolean) => {
        const buffer = new Uint8Array(16384);
        try {
          while (true) {
            const n = await from.read(buffer);
            if (n === null) break;
            if (keep) seen.push(...buffer.subarray(0, n));
            await to.write(buffer.subarray(0, n));
          }
        } catch {
          // one side closed
        }
        try {
          to.close();
        } catch {
          // closed already
        }
      };
      await Promise.all([pump(inner, outer, false), pump(outer, inner, true)]);
    })();
    const client = await LineClient.connectTls(tap.addr.port, certs.caPem);
    const { secret } = await client.welcome("ada");
    assert.match(secret ?? "", /^[0-9a-f]{32}$/);
    await client.close();
    tap.close();
    await relaying;
    const wire = new TextDecoder("latin1").decode(Uint8Array.from(seen));
    assert.ok(wire.length > 0);
    assert.ok(!wire.includes(secret!), "the secret is not on the wire");
    assert.ok(!wire.includes("0:1:"), "nor the login reply");
  },
});

Deno.test({
  name:
    `tls: SIGHUP reloads the certificate; open sessions go on, new clients get the new one${why}`,
  ignore: ignore || Deno.build.os === "windows",
  fn: async () => {
    await using first = await makeCertificates();
    await using second = await makeCertificates();
    const dir = await Deno.makeTempDir({ prefix: "switchboard-reload-" });
    try {
      const cert = `${dir}/cert.pem`;
      const key = `${dir}/key.pem`;
      await Deno.copyFile(first.certFile, cert);
      await Deno.copyFile(first.keyFile, key);
      await using child = await serveChild([
        "--tls-port",
        "0",
        "--http-port",
        "0",
        "--tls-cert",
        cert,
        "--tls-key",
        key,
      ]);
      const tlsPort = child.portOf("tls")!;
      const wssPort = child.portOf("wss")!;
      assert.ok(tlsPort > 0 && wssPort > 0);
      assert.ok(child.urls.https?.endsWith("/"));
      await using old = await LineClient.connectTls(tlsPort, first.caPem);
      const oldId = await old.login("old");
      await old.send("2:r");
      await old.take(2);
      await Deno.copyFile(second.certFile, cert);
      await Deno.copyFile(second.keyFile, key);
      child.process.kill("SIGHUP");
      // New clients trust only the second CA: wait until one gets in.
      const fresh = await retry(() =>
        LineClient.connectTls(tlsPort, second.caPem)
      );
      await using _fresh = fresh;
      const freshId = await fresh.login("fresh");
      await fresh.send("2:r");
      assertEquals(await fresh.take(3), [
        `2:${freshId}:r`,
        `2:${oldId}:r`,
        `4:${oldId}`,
      ]);
      assertEquals(await old.next(), `2:${freshId}:r`);
      await old.send("3:0:still here");
      assertEquals(await fresh.next(), `3:${oldId}:still here`);
      await assert.rejects(LineClient.connectTls(tlsPort, first.caPem));
      // The HTTPS/WSS port reloaded too.
      const https = Deno.createHttpClient({ caCerts: [second.caPem] });
      const page = await fetch(`https://localhost:${wssPort}/`, {
        client: https,
      });
      assertEquals(page.status, 200);
      await page.body?.cancel();
      https.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Calls `attempt` until it succeeds, for at most the deadline. */
async function retry<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS * 2;
  while (true) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}
