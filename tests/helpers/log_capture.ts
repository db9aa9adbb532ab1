/** A logger for tests: keeps every record and lets a test await one. */
import type { LogFields, Logger, LogLevel } from "../../server/logger.ts";
import { DEADLINE_MS, DeadlineError } from "./inbox.ts";

/** One log call. */
export interface LogRecord {
  readonly level: LogLevel;
  readonly event: string;
  readonly fields: LogFields;
}

/** Records log calls (optionally only some events) and wakes waiters. */
export class LogCapture implements Logger {
  readonly records: LogRecord[] = [];
  readonly #keep: (event: string) => boolean;
  readonly #counts = new Map<string, number>();
  #waiters = new Set<() => void>();

  /** `keep` chooses which events are stored; all are counted. */
  constructor(keep: (event: string) => boolean = () => true) {
    this.#keep = keep;
  }

  debug(event: string, fields?: LogFields): void {
    this.#log("debug", event, fields);
  }
  info(event: string, fields?: LogFields): void {
    this.#log("info", event, fields);
  }
  warn(event: string, fields?: LogFields): void {
    this.#log("warn", event, fields);
  }
  error(event: string, fields?: LogFields): void {
    this.#log("error", event, fields);
  }

  #log(level: LogLevel, event: string, fields: LogFields = {}): void {
    this.#counts.set(event, (this.#counts.get(event) ?? 0) + 1);
    if (this.#keep(event)) this.records.push({ level, event, fields });
    for (const wake of this.#waiters) wake();
  }

  /** How many times `event` was logged. */
  count(event: string): number {
    return this.#counts.get(event) ?? 0;
  }

  /** The stored records of `event`. */
  of(event: string): LogRecord[] {
    return this.records.filter((r) => r.event === event);
  }

  /** Resolves once `condition` holds, checked now and after each log call. */
  async until(
    condition: () => boolean,
    what: string,
    ms = DEADLINE_MS,
  ): Promise<void> {
    if (condition()) return;
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    const check = () => {
      if (condition()) resolve();
    };
    const timer = setTimeout(
      () =>
        reject(
          new DeadlineError(
            what,
            ms,
            this.records.slice(-20).map((r) => r.event),
          ),
        ),
      ms,
    );
    this.#waiters.add(check);
    try {
      await promise;
    } finally {
      clearTimeout(timer);
      this.#waiters.delete(check);
    }
  }

  /** Resolves with the first stored record of `event` matching `match`. */
  async waitFor(
    event: string,
    match: (fields: LogFields) => boolean = () => true,
    ms = DEADLINE_MS,
  ): Promise<LogRecord> {
    const find = () =>
      this.records.find((r) => r.event === event && match(r.fields));
    await this.until(() => find() !== undefined, `log event ${event}`, ms);
    return find()!;
  }
}
