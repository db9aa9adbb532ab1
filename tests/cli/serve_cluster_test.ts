/**
 * `serve --cluster`: TLS (`rediss://`) with a CA file, the password from a
 * file or the environment (never needed on the command line), and clear
 * exits for a wrong password, an unreachable Redis and a bad URL. Without
 * `--cluster` nothing of this runs (the rest of the suite).
 */
import { assertEquals, assertMatch } from "../helpers/assert.ts";
import { runCli, serveChild } from "../helpers/cli.ts";
import { LineClient } from "../helpers/line_client.ts";
import { redisAvailability, startRedis } from "../helpers/redis.ts";

const redis = await redisAvailability();
const skipped = redis.available ? "" : ` (skipped: ${redis.reason})`;

/** A CA and a certificate for 127.0.0.1 signed by it, in `dir`. */
async function certificates(dir: string) {
  const run = async (args: string[]) => {
    const out = await new Deno.Command("openssl", {
      args,
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  };
  await run([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "1",
    "-subj",
    "/CN=test CA",
  ]);
  await run([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "redis.key",
    "-out",
    "redis.csr",
    "-subj",
    "/CN=127.0.0.1",
  ]);
  await Deno.writeTextFile(`${dir}/san.ext`, "subjectAltName=IP:127.0.0.1\n");
  await run([
    "x509",
    "-req",
    "-in",
    "redis.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "redis.pem",
    "-days",
    "1",
    "-extfile",
    "san.ext",
  ]);
  return {
    cert: `${dir}/redis.pem`,
    key: `${dir}/redis.key`,
    ca: `${dir}/ca.pem`,
  };
}

Deno.test({
  name:
    `serve --cluster: rediss:// with a CA file and a password file${skipped}`,
  ignore: !redis.available,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "switchboard-tls-" });
    try {
      const tls = await certificates(dir);
      await using server = await startRedis(["--requirepass", "s3cret"], tls);
      await Deno.writeTextFile(`${dir}/pw`, "s3cret\n");
      await using node = await serveChild([
        "--cluster",
        server.url,
        "--cluster-ca-file",
        tls.ca,
        "--cluster-password-file",
        `${dir}/pw`,
      ]);
      assertEquals(typeof node.node, "number");
      await using client = await LineClient.connect(node.port);
      const id = await client.login("ada");
      await client.send("2:lobby");
      assertEquals(await client.take(2), [`2:${id}:lobby`, `4:${id}`]);
      // The same from the environment, and a wrong one refused clearly.
      await using second = await serveChild([
        "--cluster",
        server.url,
        "--cluster-ca-file",
        tls.ca,
      ], { SWITCHBOARD_REDIS_PASSWORD: "s3cret" });
      assertEquals(second.node !== node.node, true);
      const wrong = await runCli([
        "serve",
        "--auth",
        "open",
        "--db",
        ":memory:",
        "--port",
        "0",
        "--cluster",
        server.url.replace("rediss://", "rediss://:nope@"),
        "--cluster-ca-file",
        tls.ca,
      ]);
      assertEquals(wrong.code, 2, wrong.stderr);
      assertMatch(
        wrong.stderr,
        /cannot reach Redis at rediss:\/\/127\.0\.0\.1:\d+/,
      );
      assertEquals(wrong.stderr.includes("nope"), false);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    `serve --cluster: an unreachable Redis or a bad URL exits 2 with a reason${skipped}`,
  ignore: !redis.available,
  async fn() {
    const base = ["serve", "--auth", "open", "--db", ":memory:", "--port", "0"];
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const down = await runCli([
      ...base,
      "--cluster",
      `redis://127.0.0.1:${port}`,
    ]);
    assertEquals(down.code, 2, down.stderr);
    assertMatch(
      down.stderr,
      /^switchboard: error: cannot reach Redis at redis:\/\/127\.0\.0\.1.*\n {2}is Redis running/,
    );
    const bad = await runCli([...base, "--cluster", "http://127.0.0.1:6379"]);
    assertEquals(bad.code, 2, bad.stderr);
    assertMatch(
      bad.stderr,
      /^switchboard: error: .*expects a redis:\/\/ or rediss:\/\/ URL.*\n {2}--cluster takes/,
    );
  },
});
