/** The history file: location, round trip, cap, no passwords. */
import { assertEquals } from "../../helpers/assert.ts";
import {
  historyPath,
  loadHistory,
  saveHistory,
  shouldRemember,
} from "../../../cli/connect/history_file.ts";

Deno.test("history: $SWITCHBOARD_HISTORY wins over ~/.switchboard_history", () => {
  assertEquals(
    historyPath({ SWITCHBOARD_HISTORY: "/tmp/h", HOME: "/home/a" }),
    "/tmp/h",
  );
  assertEquals(
    historyPath({ HOME: "/home/a" }),
    "/home/a/.switchboard_history",
  );
  assertEquals(historyPath({}), null);
});

Deno.test("history: saved oldest first, loaded newest first, capped, raw logins left out", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/history`;
    assertEquals(await loadHistory(file), [], "no file yet");
    await saveHistory(
      file,
      ["/join lobby", "0:ada:secret", "/login ada", "1:"],
      3,
    );
    assertEquals(
      await Deno.readTextFile(file),
      "1:\n/login ada\n/join lobby\n",
    );
    assertEquals(await loadHistory(file), ["/join lobby", "/login ada", "1:"]);
    assertEquals(await loadHistory(file, 2), ["/join lobby", "/login ada"]);
    assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
    assertEquals([
      shouldRemember("0:ada"),
      shouldRemember("0:ada:pw"),
      shouldRemember(" "),
    ], [true, false, false]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
