/** Assertions for tests, on top of `node:assert/strict`. */
import assert from "node:assert/strict";

/** Deep equality with the expected value second, as in `@std/assert`. */
export function assertEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  // @types/node (pulled in by @types/pg) types `message` as required when given.
  if (message === undefined) assert.deepStrictEqual(actual, expected);
  else assert.deepStrictEqual(actual, expected, message);
}

/** `actual` matches `pattern`. */
export function assertMatch(actual: string, pattern: RegExp): void {
  assert.match(actual, pattern);
}
