/**
 * Resume from a raw line client, as a program written against
 * docs/protocol.md would do it: `7:` after login, counting the server's
 * lines after the answer (every line but `7:` ones), and `7:<id>:<token>:<n>`
 * on a new connection.
 */
import type { LineClient } from "./line_client.ts";

/** The answer `7:<id>:<n>:<token>[:<secret>]`. */
export interface ResumeReply {
  readonly id: number;
  readonly count: number;
  readonly token: string;
  readonly secret: string | null;
}

const REPLY = /^7:(\d+):(\d+):([0-9a-f]{32})(?::([0-9a-f]{32}))?$/;

/** Parses a resume answer; throws on anything else. */
export function parseReply(line: string): ResumeReply {
  const m = REPLY.exec(line);
  if (m === null) throw new Error(`not a resume answer: ${line}`);
  return {
    id: Number(m[1]),
    count: Number(m[2]),
    token: m[3]!,
    secret: m[4] ?? null,
  };
}

/** A raw client's resume state: its token and where counting started. */
export class ResumeState {
  token: string;
  /** Index in the client's history of the last resume answer. */
  #from: number;
  /** Server lines counted on earlier connections. */
  #before = 0;

  constructor(
    public client: LineClient,
    reply: ResumeReply,
    from: number,
  ) {
    this.token = reply.token;
    this.#from = from;
  }

  /** Sends `7:` and reads up to its answer. */
  static async enable(client: LineClient): Promise<ResumeState> {
    await client.send("7:");
    while (true) {
      const line = await client.next();
      if (line.startsWith("7:")) {
        return new ResumeState(
          client,
          parseReply(line),
          client.history.length - 1,
        );
      }
    }
  }

  /** Server lines received so far (all connections): what a resume presents. */
  get received(): number {
    return this.#before + this.lines().length;
  }

  /** The counted lines received on the current connection. */
  lines(): string[] {
    return this.client.history.slice(this.#from + 1).filter((l) =>
      !l.startsWith("7")
    );
  }

  /**
   * Resumes on `fresh` (a new connection): sends the resume line, reads its
   * answer (or returns the refusal line) and switches to it.
   */
  async resumeOn(fresh: LineClient): Promise<ResumeReply | string> {
    const count = this.received;
    const id = parseReply(this.client.history[this.#from]!).id;
    await fresh.send(`7:${id}:${this.token}:${count}`);
    const line = await fresh.next();
    if (!line.startsWith("7:")) return line;
    const reply = parseReply(line);
    this.#before = count;
    this.client = fresh;
    this.#from = fresh.history.length - 1;
    this.token = reply.token;
    return reply;
  }
}
