/** Assertions for tests, on top of `node:assert/strict`. */
import assert from "node:assert/strict";

/** Deep equality with the expected value second, as in `@std/assert`. */
export function assertEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  assert.deepStrictEqual(actual, expected, message);
}
