/** Tab completion candidates. */
import { assertEquals } from "../../helpers/assert.ts";
import { complete, wantsRooms } from "../../../cli/connect/completer.ts";

const ctx = {
  rooms: ["lobby", "lab", "den"],
  members: [3, 14, 15],
  groups: ["team", "tanks"],
};

Deno.test("completer: commands, rooms, member ids, groups, on/off", () => {
  assertEquals(complete("/jo", ctx), [["/join "], "/jo"], "with its space");
  assertEquals(complete("/join", ctx), [["/join "], "/join"]);
  assertEquals(complete("/le", ctx), [["/leave"], "/le"], "takes nothing");
  assertEquals(complete("/g", ctx), [["/group", "/g"], "/g"]);
  assertEquals(complete("/", ctx)[0].length > 10, true);
  assertEquals(complete("/join l", ctx), [["lobby", "lab"], "l"]);
  assertEquals(complete("/to 1", ctx), [["14", "15"], "1"]);
  assertEquals(complete("/to 3,1", ctx), [["14", "15"], "1"]);
  assertEquals(complete("/group t", ctx), [["team", "tanks"], "t"]);
  assertEquals(complete("/group team 3,", ctx), [["3", "14", "15"], ""]);
  assertEquals(complete("/g te", ctx), [["team"], "te"]);
  assertEquals(complete("/udp o", ctx), [["on", "off"], "o"]);
});

Deno.test("completer: raw lines and free text get nothing", () => {
  assertEquals(complete("3:0:he", ctx), [[], "3:0:he"]);
  assertEquals(complete("/say he", ctx), [[], "he"]);
  assertEquals(complete("//x", ctx), [[], "//x"]);
});

Deno.test("completer: only /join's room asks the server for its rooms", () => {
  assertEquals(
    ["/join ", "/join lo", "/jo", "/join lobby ", "/rooms ", "join "].map(
      wantsRooms,
    ),
    [true, true, false, false, false, false],
  );
});
