/**
 * A password spray in a process of its own, as attackers are not in the
 * server's process: `deno run -A tests/helpers/spray_child.ts PORT ADDRESSES
 * PER_ADDRESS ATTEMPTS` opens PER_ADDRESS connections from each of
 * 127.0.0.2 … 127.0.0.(ADDRESSES + 1) and sends, on each, up to ATTEMPTS
 * wrong logins for usernames of its own, each as soon as the previous one is
 * answered. It prints `connected` once every connection is open, `active N`
 * each time the number of connections with attempts left falls past a
 * multiple of 16 (the first burst is over when few remain: those whose
 * checks wait in the server's queue), and on standard input's end (or when
 * all attempts are answered) closes them and prints `done <answered>`.
 */
import net from "node:net";

const [port, addresses, perAddress, attempts] = Deno.args.map(Number);
const sockets: net.Socket[] = [];
let answered = 0;
let stopping = false;

function sprayer(address: string, name: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({
      host: "127.0.0.1",
      port: port!,
      localAddress: address,
    });
    sockets.push(socket);
    let sent = 0;
    let buffer = "";
    const next = (): void => {
      if (stopping || sent >= attempts!) {
        finished();
        socket.destroy();
        return;
      }
      socket.write(`0:${name}-${sent}:guess${sent}\n`);
      sent++;
    };
    socket.setEncoding("utf8");
    socket.on("connect", () => {
      connected++;
      if (connected === addresses! * perAddress!) console.log("connected");
      next();
    });
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf("\n")) !== -1) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        // `9:0:busy…` or `9:0:rate-limited…` comes before its `0:-1`.
        if (line === "0:-1") {
          answered++;
          next();
        }
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => resolve());
  });
}

let connected = 0;
let active = addresses! * perAddress!;
/** A connection has no attempts left. */
function finished(): void {
  active--;
  if (active % 16 === 0) console.log(`active ${active}`);
}
const all: Promise<void>[] = [];
for (let a = 0; a < addresses!; a++) {
  for (let c = 0; c < perAddress!; c++) {
    all.push(sprayer(`127.0.0.${a + 2}`, `spray${a}_${c}`));
  }
}
// The test ends the spray by closing our standard input.
(async () => {
  for await (const _ of Deno.stdin.readable) { /* nothing is sent */ }
  stopping = true;
  for (const socket of sockets) socket.destroy();
})();
await Promise.all(all);
console.log(`done ${answered}`);
Deno.exit(0);
