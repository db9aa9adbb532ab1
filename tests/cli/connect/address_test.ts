/** parseAddress: the forms people type, and clear errors. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { parseAddress } from "../../../cli/connect/address.ts";

Deno.test("address: host:port, host, :port, [v6]:port and tcp:// forms", () => {
  const cases: [string, string, number][] = [
    ["10.0.0.5:7000", "10.0.0.5", 7000],
    ["example.org", "example.org", 7777],
    [":9000", "127.0.0.1", 9000],
    ["[::1]:7001", "::1", 7001],
    ["[::1]", "::1", 7777],
    ["tcp://127.0.0.1:4000", "127.0.0.1", 4000],
    ["tcp://127.0.0.1:4000/", "127.0.0.1", 4000],
    ["localhost", "localhost", 7777],
  ];
  for (const [text, host, port] of cases) {
    assertEquals(parseAddress(text, 7777), { host, port }, text);
  }
});

Deno.test("address: bad addresses are TypeErrors that say what was expected", () => {
  for (const text of ["a:b:c", "host:0", "host:70000", "host:port", "::1:80"]) {
    assert.throws(() => parseAddress(text, 7777), TypeError, text);
  }
});
