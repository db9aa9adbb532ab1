/**
 * A strict parser of Prometheus' text exposition format (0.0.4), for
 * tests: it rejects what Prometheus would reject (bad names, bad escapes,
 * samples of a family split up, a `# TYPE` after samples, duplicate series)
 * and also checks what the format's rules say about counters and
 * histograms (counters never negative; buckets ascending, cumulative and
 * ending in `+Inf` = `_count`). Independent of the server's renderer.
 */

/** One sample line. */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One family: its TYPE, HELP and samples. */
export interface PromFamily {
  readonly name: string;
  type: string;
  help: string | null;
  readonly samples: PromSample[];
}

/** Why the text is not valid exposition format. */
export class PromParseError extends SyntaxError {
  override readonly name = "PromParseError";
  /** `line` is 1-based. */
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const FLOAT =
  /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Inf|NaN)$/;

/** The family a sample name belongs to, given the declared families. */
function familyOf(name: string, declared: Map<string, PromFamily>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      const family = declared.get(base);
      if (family?.type === "histogram" || family?.type === "summary") {
        return base;
      }
    }
  }
  return name;
}

/** HELP text escapes only `\\` and `\n`. */
function unescapeHelp(text: string, line: number): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = text[++i];
    if (e === "\\") out += "\\";
    else if (e === "n") out += "\n";
    else throw new PromParseError(line, `bad escape \\${e} in HELP`);
  }
  return out;
}

function parseValue(text: string, line: number): number {
  if (!FLOAT.test(text)) throw new PromParseError(line, `bad value ${text}`);
  if (/Inf$/.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (text.endsWith("NaN")) return NaN;
  return Number(text);
}

function parseLabels(
  text: string,
  line: number,
): [Record<string, string>, string] {
  const labels: Record<string, string> = {};
  let rest = text.slice(1);
  while (true) {
    rest = rest.trimStart();
    if (rest.startsWith("}")) return [labels, rest.slice(1)];
    const name = LABEL_NAME.exec(rest)?.[0];
    if (name === undefined) throw new PromParseError(line, "bad label name");
    if (name in labels) {
      throw new PromParseError(line, `label ${name} given twice`);
    }
    rest = rest.slice(name.length).trimStart();
    if (!rest.startsWith('="')) {
      throw new PromParseError(line, `label ${name} has no ="value"`);
    }
    rest = rest.slice(2);
    let value = "";
    while (true) {
      const c = rest[0];
      if (c === undefined) {
        throw new PromParseError(line, "unterminated label value");
      }
      rest = rest.slice(1);
      if (c === '"') break;
      if (c === "\\") {
        const e = rest[0];
        rest = rest.slice(1);
        if (e === "\\") value += "\\";
        else if (e === '"') value += '"';
        else if (e === "n") value += "\n";
        else throw new PromParseError(line, `bad escape \\${e}`);
      } else if (c === "\n") {
        throw new PromParseError(line, "newline in a label value");
      } else value += c;
    }
    labels[name] = value;
    rest = rest.trimStart();
    if (rest.startsWith(",")) rest = rest.slice(1);
    else if (!rest.startsWith("}")) {
      throw new PromParseError(line, "expected , or } after a label");
    }
  }
}

/** Parses `text`; throws {@linkcode PromParseError} on the first fault. */
export function parsePrometheus(text: string): Map<string, PromFamily> {
  if (text !== "" && !text.endsWith("\n")) {
    throw new PromParseError(0, "the text must end with a newline");
  }
  const families = new Map<string, PromFamily>();
  const finished = new Set<string>();
  const series = new Set<string>();
  let current: string | null = null;
  const family = (name: string): PromFamily => {
    let f = families.get(name);
    if (f === undefined) {
      f = { name, type: "untyped", help: null, samples: [] };
      families.set(name, f);
    }
    return f;
  };
  const enter = (name: string, line: number) => {
    if (current === name) return;
    if (finished.has(name)) {
      throw new PromParseError(line, `samples of ${name} are not together`);
    }
    if (current !== null) finished.add(current);
    current = name;
  };
  text.split("\n").slice(0, -1).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    if (raw.startsWith("#")) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(raw);
      if (m === null) return; // a plain comment
      const [, what, name, rest = ""] = m;
      if (!NAME.test(name!) || NAME.exec(name!)![0] !== name) {
        throw new PromParseError(line, `bad metric name ${name}`);
      }
      const f = family(name!);
      if (what === "TYPE") {
        if (f.samples.length > 0) {
          throw new PromParseError(line, `TYPE of ${name} after its samples`);
        }
        if (f.type !== "untyped") {
          throw new PromParseError(line, `second TYPE for ${name}`);
        }
        if (!TYPES.has(rest.trim())) {
          throw new PromParseError(line, `unknown type ${rest}`);
        }
        f.type = rest.trim();
      } else {
        if (f.help !== null) {
          throw new PromParseError(line, `second HELP for ${name}`);
        }
        f.help = unescapeHelp(rest, line);
      }
      enter(name!, line);
      return;
    }
    const name = NAME.exec(raw)?.[0];
    if (name === undefined) throw new PromParseError(line, "bad sample name");
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith("{")) [labels, rest] = parseLabels(rest, line);
    const parts = rest.trim().split(/\s+/);
    if (parts.length < 1 || parts.length > 2 || parts[0] === "") {
      throw new PromParseError(line, "expected a value (and a timestamp)");
    }
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) {
      throw new PromParseError(line, `bad timestamp ${parts[1]}`);
    }
    const value = parseValue(parts[0]!, line);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (series.has(key)) {
      throw new PromParseError(line, `series ${name} given twice`);
    }
    series.add(key);
    const base = familyOf(name, families);
    enter(base, line);
    family(base).samples.push({ name, labels, value });
  });
  for (const f of families.values()) check(f);
  return families;
}

function check(f: PromFamily): void {
  if (f.type === "counter") {
    for (const s of f.samples) {
      if (!(s.value >= 0)) {
        throw new PromParseError(0, `counter ${s.name} is ${s.value}`);
      }
    }
  }
  if (f.type !== "histogram") return;
  const groups = new Map<string, PromSample[]>();
  for (const s of f.samples) {
    const { le: _, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const samples of groups.values()) {
    const buckets = samples.filter((s) => s.name === `${f.name}_bucket`);
    const count = samples.find((s) => s.name === `${f.name}_count`);
    const sum = samples.find((s) => s.name === `${f.name}_sum`);
    if (count === undefined || sum === undefined || buckets.length === 0) {
      throw new PromParseError(0, `histogram ${f.name} lacks a part`);
    }
    let lastLe = -Infinity;
    let lastCount = 0;
    for (const b of buckets) {
      if (b.labels.le === undefined) {
        throw new PromParseError(0, `${f.name}_bucket without le`);
      }
      const le = parseValue(b.labels.le, 0);
      if (!(le > lastLe)) {
        throw new PromParseError(0, `${f.name} buckets not ascending`);
      }
      if (b.value < lastCount) {
        throw new PromParseError(0, `${f.name} buckets not cumulative`);
      }
      lastLe = le;
      lastCount = b.value;
    }
    if (lastLe !== Infinity || lastCount !== count.value) {
      throw new PromParseError(
        0,
        `${f.name}: the last bucket must be +Inf and equal _count`,
      );
    }
  }
}

/**
 * The value of the series `name` with exactly `labels` (a sample name, e.g.
 * `x_total` or `h_count`); throws when there is none.
 */
export function sampleValue(
  families: Map<string, PromFamily>,
  name: string,
  labels: Record<string, string> = {},
): number {
  const want = JSON.stringify(Object.entries(labels).sort());
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (
        s.name === name &&
        JSON.stringify(Object.entries(s.labels).sort()) === want
      ) return s.value;
    }
  }
  throw new Error(`no sample ${name}${want}`);
}
