/** The REPL's own words. */
import { assertEquals } from "../../helpers/assert.ts";
import {
  failureText,
  promptText,
  whoText,
} from "../../../cli/connect/notices.ts";
import {
  ConnectionClosedError,
  InvalidArgumentError,
  LoginRefusedError,
  NotLoggedInError,
  RefusedError,
} from "../../../client/mod.ts";

const view = { sessionId: 3, room: "lobby", members: [1, 3, 4], master: 1 };

Deno.test("notices: /who and the prompt", () => {
  assertEquals(whoText(view), "lobby: 1 (master), 3 (you), 4");
  assertEquals(whoText({ ...view, master: 3 }), "lobby: 1, 3 (master, you), 4");
  assertEquals(whoText({ ...view, room: null, members: [] }), "not in a room");
  assertEquals(promptText(null), "(offline)> ");
  assertEquals(promptText({ ...view, sessionId: null, room: null }), "> ");
  assertEquals(promptText({ ...view, room: null }), "#3> ");
  assertEquals(promptText(view), "#3@lobby> ");
});

Deno.test("notices: failures in words; refusals are already on screen", () => {
  assertEquals(failureText(new RefusedError("2", "wrong-password", "x")), null);
  assertEquals(
    failureText(new LoginRefusedError("ada")),
    "login refused: wrong name or password",
  );
  assertEquals(
    failureText(new NotLoggedInError("send")),
    "not logged in: /login NAME first",
  );
  assertEquals(
    failureText(new ConnectionClosedError()),
    "not connected; /reconnect to connect again",
  );
  assertEquals(
    failureText(new InvalidArgumentError("room name is empty")),
    "room name is empty",
  );
});
