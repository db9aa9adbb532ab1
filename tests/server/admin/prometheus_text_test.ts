/** The exposition renderer, judged by an independent strict parser (tests/helpers/prometheus.ts). */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../../helpers/assert.ts";
import {
  parsePrometheus,
  PromParseError,
  sampleValue,
} from "../../helpers/prometheus.ts";
import { renderPrometheus } from "../../../server/admin/prometheus_text.ts";

Deno.test("prometheus text: label values and help with quotes, backslashes and newlines survive", () => {
  // Backslashes before n, quotes and newlines are where escaping goes wrong.
  const tricky = fc.stringMatching(/^[a\\n"\n{}=,]*$/);
  fc.assert(
    fc.property(
      fc.oneof(fc.string(), tricky),
      fc.oneof(fc.string(), tricky),
      (value, help) => {
        const text = renderPrometheus([{
          name: "x_total",
          help,
          type: "counter",
          samples: [{ labels: { room: value }, value: 3 }],
        }]);
        const families = parsePrometheus(text);
        assertEquals(families.get("x_total")!.help, help);
        assertEquals(sampleValue(families, "x_total", { room: value }), 3);
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("prometheus text: histograms are cumulative with +Inf equal to the count", () => {
  const text = renderPrometheus([{
    name: "lat_seconds",
    help: "latency",
    type: "histogram",
    bounds: [0.1, 1],
    series: [{ cumulative: [2, 5, 7], sum: 4.5, count: 7 }],
  }]);
  const families = parsePrometheus(text);
  assertEquals(sampleValue(families, "lat_seconds_bucket", { le: "0.1" }), 2);
  assertEquals(sampleValue(families, "lat_seconds_bucket", { le: "+Inf" }), 7);
  assertEquals(sampleValue(families, "lat_seconds_sum"), 4.5);
  assertEquals(families.get("lat_seconds")!.type, "histogram");
});

Deno.test("prometheus text: the parser refuses what Prometheus would", () => {
  const bad = [
    'x{a="1"} 1', // no final newline
    "x 1\ny 2\nx 3\n", // a family split up
    "x 1\n# TYPE x counter\n", // TYPE after samples
    "x{a=1} 1\n", // unquoted label value
    'x{a="\\q"} 1\n', // bad escape
    "x one\n",
    "# TYPE x counter\nx -1\n", // a negative counter
    '# TYPE h histogram\nh_bucket{le="1"} 3\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n',
    "x 1\nx 2\n", // the same series twice
    "1x 1\n",
  ];
  for (const text of bad) {
    assert.throws(() => parsePrometheus(text), PromParseError, text);
  }
  assertEquals(
    sampleValue(parsePrometheus("# a comment\nx 1 1700000000000\n"), "x"),
    1,
  );
});

Deno.test("prometheus text: bad names are refused when rendering", () => {
  assert.throws(
    () =>
      renderPrometheus([{
        name: "bad-name",
        help: "",
        type: "gauge",
        samples: [{ value: 1 }],
      }]),
    RangeError,
  );
});
