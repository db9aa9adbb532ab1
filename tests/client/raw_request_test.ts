/** rawRequest: which answer a raw line will get. */
import { assertEquals } from "../helpers/assert.ts";
import { rawRequest } from "../../client/raw_request.ts";

const line = (s: string) => new TextEncoder().encode(s);

Deno.test("raw request: requests are tracked as what they are, logged in or not", () => {
  for (const loggedOut of [false, true]) {
    assertEquals(rawRequest(line("0:ada:pw"), loggedOut), {
      kind: "login",
      username: "ada",
    });
    assertEquals(rawRequest(line("1:"), loggedOut), { kind: "list-rooms" });
    assertEquals(rawRequest(line("2:lobby\r"), loggedOut), {
      kind: "join",
      room: "lobby",
    });
    assertEquals(rawRequest(line("2:-1"), loggedOut), { kind: "leave" });
  }
});

Deno.test("raw request: sends get an answer only when logged out; malformed lines by command", () => {
  for (const send of ["3:0:x", "3:4:1:x", "4:g:x", "5:g:1"]) {
    assertEquals(rawRequest(line(send), false), null, send);
    assertEquals(rawRequest(line(send), true), {
      kind: "one-reply",
      command: send[0]!,
    }, send);
  }
  assertEquals(rawRequest(line("2:a,b"), false), {
    kind: "one-reply",
    command: "2",
  });
  assertEquals(
    rawRequest(line("3:9:x"), false),
    null,
    "a 9:3 answer is an event",
  );
  assertEquals(rawRequest(line("hello"), false), null);
  assertEquals(rawRequest(line("hello"), true), {
    kind: "one-reply",
    command: "?",
  });
  assertEquals(rawRequest(line(""), true), { kind: "one-reply", command: "?" });
});
