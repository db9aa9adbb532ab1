/**
 * The cluster's pieces that need no Redis: the `--cluster` URL and where the
 * password comes from, the bus frames, and the key names.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  ClusterKeys,
  clusterTarget,
  ClusterUrlError,
  PASSWORD_ENV,
} from "../../../server/cluster/mod.ts";
import {
  busFrame,
  BusType,
  idsIn,
  senderOf,
} from "../../../server/cluster/bus_frames.ts";
import { SCRIPTS } from "../../../server/cluster/scripts.ts";

const noEnv = () => undefined;

Deno.test("cluster url: the password from the URL, never shown", async () => {
  const target = await clusterTarget("redis://:s%40cret@10.0.0.5:6380/2", {
    env: noEnv,
  });
  assertEquals(target.password, "s@cret");
  assertEquals(target.shown, "redis://10.0.0.5:6380/2");
  assertEquals(target.tls, false);
  assertEquals(target.prefix, "sb:");
});

Deno.test("cluster url: the environment wins over the URL, a file over both", async () => {
  const env = (name: string) => name === PASSWORD_ENV ? "from-env" : undefined;
  const fromEnv = await clusterTarget("rediss://:url@h:1?prefix=game:", {
    env,
  });
  assertEquals(fromEnv.password, "from-env");
  assertEquals(fromEnv.tls, true);
  assertEquals(fromEnv.prefix, "game:");
  assertEquals(fromEnv.shown, "rediss://h:1");
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(file, "from-file\nignored\n");
    const fromFile = await clusterTarget("redis://h:1", {
      env,
      passwordFile: file,
    });
    assertEquals(fromFile.password, "from-file");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("cluster url: not a Redis URL is a clear error", async () => {
  for (const url of ["http://h:1", "h:6379", "redis://", "nonsense"]) {
    await assert.rejects(
      () => clusterTarget(url, { env: noEnv }),
      (error) =>
        error instanceof ClusterUrlError && error.code === "bad-cluster-url",
      url,
    );
  }
});

Deno.test("bus frames: a type byte, then the relayed line as sent", () => {
  const line = new TextEncoder().encode("3:1234:a:b:c\n");
  const frame = busFrame(BusType.ToAll, line);
  assertEquals(frame[0], BusType.ToAll);
  assertEquals(new TextDecoder().decode(frame.subarray(1)), "3:1234:a:b:c\n");
  assertEquals(senderOf(frame.subarray(1)), 1234);
  const join = new TextEncoder().encode("j5,9,12");
  assertEquals(idsIn(join, 1, join.length), [5, 9, 12]);
  assertEquals(idsIn(join, 1, 1), []);
});

Deno.test("keys: one prefix for every key and channel", () => {
  const keys = new ClusterKeys("x:");
  for (
    const name of [
      keys.nodes,
      keys.users,
      keys.sessions,
      keys.rooms,
      keys.node(3),
      keys.roomMembers("r"),
      keys.roomInfo("r"),
      keys.roomChannel("r"),
      keys.nodeChannel(3),
    ]
  ) assertEquals(name.startsWith("x:"), true, name);
  // The scripts build the same names from the prefix.
  assertEquals(SCRIPTS.join.source.includes("P .. 'room:' .. room"), true);
  assertEquals(keys.roomMembers("r"), "x:room:r");
});
