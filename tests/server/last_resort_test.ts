/** The process-wide last resort logs what escaped instead of dying. */
import assert from "node:assert/strict";
import { LogCapture } from "../helpers/log_capture.ts";
import { installLastResort } from "../../server/mod.ts";

Deno.test("last resort: an unhandled rejection is logged as server.uncaught and the process lives", async () => {
  const log = new LogCapture();
  const uninstall = installLastResort(log);
  try {
    Promise.reject(new Error("stray rejection"));
    const record = await log.waitFor("server.uncaught");
    assert.equal(record.level, "error");
    assert.equal(record.fields.kind, "rejection");
    assert.match(String(record.fields.error), /stray rejection/);
  } finally {
    uninstall();
  }
});

Deno.test("last resort: an uncaught exception in a callback is logged", async () => {
  const log = new LogCapture();
  const uninstall = installLastResort(log);
  try {
    setTimeout(() => {
      throw new Error("stray exception");
    }, 0);
    const record = await log.waitFor("server.uncaught");
    assert.equal(record.fields.kind, "exception");
    assert.match(String(record.fields.error), /stray exception/);
  } finally {
    uninstall();
  }
});
