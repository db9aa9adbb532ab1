/**
 * Prometheus' text exposition format (version 0.0.4): `# HELP`, `# TYPE`,
 * then one sample per line, histograms as cumulative `_bucket{le=…}` lines
 * with `_sum` and `_count`. Small on purpose: the values are plain numbers
 * the server already keeps (see server/metrics/), so no client library is
 * needed on the hot path or here.
 *
 * @example
 * ```ts
 * import { renderPrometheus } from "./prometheus_text.ts";
 * const text = renderPrometheus([{
 *   name: "demo_lines_total",
 *   help: "Lines seen.",
 *   type: "counter",
 *   samples: [{ labels: { kind: "send" }, value: 3 }],
 * }]);
 * console.assert(text.includes('demo_lines_total{kind="send"} 3'));
 * ```
 * @module
 */

/** The media type of the format. */
export const PROMETHEUS_CONTENT_TYPE =
  "text/plain; version=0.0.4; charset=utf-8";

/** Label names and values of one series. */
export type Labels = Readonly<Record<string, string>>;

/** A counter or gauge family. */
export interface ScalarFamily {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge";
  readonly samples: readonly {
    readonly labels?: Labels;
    readonly value: number;
  }[];
}

/** A histogram family (one series per label set). */
export interface HistogramFamily {
  readonly name: string;
  readonly help: string;
  readonly type: "histogram";
  /** Upper bounds, ascending; `+Inf` is added. */
  readonly bounds: readonly number[];
  readonly series: readonly {
    readonly labels?: Labels;
    /** Cumulative counts per bound, then the total. */
    readonly cumulative: readonly number[];
    readonly sum: number;
    readonly count: number;
  }[];
}

/** One metric family. */
export type MetricFamily = ScalarFamily | HistogramFamily;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Renders `families` as exposition text.
 *
 * @throws {RangeError} on a metric or label name the format does not allow
 * (a bug in the caller, not bad input).
 */
export function renderPrometheus(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const family of families) {
    if (!NAME.test(family.name)) {
      throw new RangeError(`bad metric name ${family.name}`);
    }
    out.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    out.push(`# TYPE ${family.name} ${family.type}`);
    if (family.type === "histogram") {
      for (const series of family.series) {
        family.bounds.forEach((bound, i) =>
          out.push(
            `${family.name}_bucket${
              labels({ ...series.labels, le: number(bound) })
            } ${number(series.cumulative[i] ?? 0)}`,
          )
        );
        out.push(
          `${family.name}_bucket${labels({ ...series.labels, le: "+Inf" })} ${
            number(series.count)
          }`,
        );
        out.push(
          `${family.name}_sum${labels(series.labels)} ${number(series.sum)}`,
        );
        out.push(
          `${family.name}_count${labels(series.labels)} ${
            number(series.count)
          }`,
        );
      }
    } else {
      for (const sample of family.samples) {
        out.push(
          `${family.name}${labels(sample.labels)} ${number(sample.value)}`,
        );
      }
    }
  }
  return out.join("\n") + "\n";
}

function labels(set: Labels | undefined): string {
  if (set === undefined) return "";
  const pairs = Object.entries(set);
  if (pairs.length === 0) return "";
  return `{${
    pairs.map(([name, value]) => {
      if (!LABEL.test(name)) throw new RangeError(`bad label name ${name}`);
      return `${name}="${escapeLabel(value)}"`;
    }).join(",")
  }}`;
}

function number(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function escapeHelp(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

function escapeLabel(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll(
    "\n",
    "\\n",
  );
}
