/**
 * A bare-bones WebSocket client on a Deno connection (TCP or TLS) for tests
 * that need a client which really stops reading: `npm:ws` over Deno's
 * `node:tls` keeps reading while paused, so it cannot play a stalled WSS
 * client. This one writes the upgrade and masked frames itself, reads the
 * answer's headers, and reads nothing more unless asked.
 */

const encoder = new TextEncoder();

/** A connection that completed the WebSocket upgrade. */
export class RawWebSocket implements AsyncDisposable {
  private constructor(readonly conn: Deno.Conn) {}

  /** Upgrades a connection to 127.0.0.1:`port` (localhost over TLS with `ca`). */
  static async connect(port: number, ca?: string): Promise<RawWebSocket> {
    const conn = ca === undefined
      ? await Deno.connect({ hostname: "127.0.0.1", port })
      : await Deno.connectTls({ hostname: "localhost", port, caCerts: [ca] });
    const key = btoa(
      String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))),
    );
    await write(
      conn,
      encoder.encode(
        `GET /ws HTTP/1.1\r\nHost: localhost:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\n` +
          "Sec-WebSocket-Version: 13\r\n\r\n",
      ),
    );
    // Read the answer byte by byte up to its blank line: nothing after it.
    let head = "";
    const one = new Uint8Array(1);
    while (!head.endsWith("\r\n\r\n")) {
      if (await conn.read(one) === null) throw new Error(`upgrade: ${head}`);
      head += String.fromCharCode(one[0]!);
    }
    if (!head.startsWith("HTTP/1.1 101")) throw new Error(`upgrade: ${head}`);
    return new RawWebSocket(conn);
  }

  /** Sends each line as one masked text frame. */
  async send(...lines: string[]): Promise<void> {
    for (const line of lines) {
      await write(this.conn, frame(encoder.encode(line)));
    }
  }

  /** Closes the connection. */
  close(): void {
    try {
      this.conn.close();
    } catch {
      // closed already
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

function frame(payload: Uint8Array): Uint8Array {
  const length = payload.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const out = new Uint8Array(header + 4 + length);
  out[0] = 0x81;
  if (length < 126) out[1] = 0x80 | length;
  else if (length < 65_536) {
    out[1] = 0x80 | 126;
    out[2] = length >>> 8;
    out[3] = length & 0xff;
  } else {
    out[1] = 0x80 | 127;
    new DataView(out.buffer).setBigUint64(2, BigInt(length));
  }
  const mask = crypto.getRandomValues(new Uint8Array(4));
  out.set(mask, header);
  for (let i = 0; i < length; i++) {
    out[header + 4 + i] = payload[i]! ^ mask[i & 3]!;
  }
  return out;
}

async function write(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += await conn.write(bytes.subarray(offset));
  }
}
