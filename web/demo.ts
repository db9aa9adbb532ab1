/// <reference lib="dom" />
/**
 * The demo page's script (served at `/demo.js`, built with the library into
 * one module by `deno task build:web`): a shared scene in a canvas. Each tab
 * logs in (the form: with `serve --auth accounts` an account's name and
 * password, with `--auth open` anything), joins a room and gets an avatar
 * bound to it; it moves with the keyboard or the mouse, sees everyone else
 * move, and can grab the ball or a crate (an ownership claim, in the room's
 * order). It speaks the same objects as `examples/shared_scene.ts`, so bots
 * and tabs share one scene.
 *
 * `window.switchboardDemo` exposes the scene to tests (tests/web/).
 *
 * @module
 */
import {
  type NetworkObject,
  NetworkScene,
  RelayClient,
  vec3,
  vec4,
} from "../client/browser.ts";

/** What `examples/shared_scene.ts` declares too: one ball, id -1-1. */
const SCENE_OBJECTS = [{
  type: "ball",
  fields: { pos: vec3(0, 1, 0), holder: "" },
}];
const TICK_HZ = 20;
/** Pixels per scene unit, and where the scene's origin is on the canvas. */
const SCALE = 32;
const ORIGIN = { x: 96, y: 200 };
const SPEED = 4;

const $ = <T extends HTMLElement>(id: string) =>
  document.getElementById(id) as T;
const form = $<HTMLFormElement>("login");
const status = $<HTMLSpanElement>("status");
const canvas = $<HTMLCanvasElement>("scene");
const paint = canvas.getContext("2d")!;

interface Demo {
  client: RelayClient | null;
  scene: NetworkScene | null;
  avatar: NetworkObject | null;
  carrying: NetworkObject | null;
  target: { x: number; z: number } | null;
  keys: Set<string>;
  rates: { in: number; out: number };
}
const demo: Demo = {
  client: null,
  scene: null,
  avatar: null,
  carrying: null,
  target: null,
  keys: new Set(),
  rates: { in: 0, out: 0 },
};

// For tests and the curious: the scene as plain data, and a grab.
Object.assign(globalThis, {
  switchboardDemo: {
    get self() {
      return demo.scene?.self ?? null;
    },
    get master() {
      return demo.scene?.master ?? null;
    },
    snapshot: () => demo.scene?.snapshot() ?? [],
    grab: (id: string) => grab(id),
  },
});

const params = new URLSearchParams(location.search);
const nameInput = form.elements.namedItem("name") as HTMLInputElement;
nameInput.value = params.get("name") ??
  `guest${Math.floor(Math.random() * 9000 + 1000)}`;
const roomInput = form.elements.namedItem("room") as HTMLInputElement;
roomInput.value = params.get("room") ?? roomInput.value;
$("insecure").hidden = location.protocol === "https:" ||
  ["localhost", "127.0.0.1", "[::1]"].includes(location.hostname);

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(form);
  join(
    String(data.get("name")),
    String(data.get("password") ?? ""),
    String(data.get("room")),
  ).catch((error: Error) => show(`failed: ${error.message}`));
});

function show(text: string): void {
  status.textContent = text;
}

async function join(name: string, password: string, room: string) {
  await demo.scene?.leave().catch(() => {});
  await demo.client?.close();
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  show("connecting…");
  const client = await RelayClient.connect({
    url: `${scheme}://${location.host}/ws`,
  });
  demo.client = client;
  client.onMessage(() => demo.rates.in++);
  client.onSent(() => demo.rates.out++);
  await client.login(name, password);
  const scene = await NetworkScene.join(client, room, {
    tickHz: TICK_HZ,
    sceneObjects: SCENE_OBJECTS,
  });
  demo.scene = scene;
  demo.avatar = scene.instantiate("avatar", {
    pos: vec3(0, 0, 4),
    rot: vec4(0, 0, 0, 1),
    name,
  }, { boundToOwner: true });
  scene.on("owner", (object) => {
    if (object === demo.carrying && !object.isMine) demo.carrying = null;
    renderPanel();
  });
  scene.on("created", renderPanel);
  scene.on("destroyed", renderPanel);
  scene.on(
    "closed",
    (reason) => show(reason ? `disconnected: ${reason.message}` : "left"),
  );
  show(`in ${room} as ${name} (id ${scene.self})`);
  canvas.focus();
  renderPanel();
}

/** Claims `id`; once ours, it follows our avatar. */
async function grab(id: string): Promise<boolean> {
  const scene = demo.scene;
  const object = scene?.get(id);
  if (scene === null || object === undefined || object.type === "avatar") {
    return false;
  }
  const won = await scene.takeOwnership(id);
  if (won) {
    demo.carrying = object;
    if (object.type === "ball") object.set("holder", nameInput.value);
  }
  renderPanel();
  return won;
}

function toScene(event: MouseEvent) {
  const box = canvas.getBoundingClientRect();
  return {
    x: (event.clientX - box.left - ORIGIN.x) / SCALE,
    z: (event.clientY - box.top - ORIGIN.y) / SCALE,
  };
}

function posOf(object: NetworkObject): [number, number] {
  const pos = object.get("pos") as readonly number[];
  return [pos[0] ?? 0, pos[2] ?? 0];
}

canvas.addEventListener("pointerdown", (event) => {
  const at = toScene(event);
  let hit: NetworkObject | undefined;
  for (const object of demo.scene?.objects.values() ?? []) {
    if (object.type === "avatar") continue;
    const [x, z] = posOf(object);
    if (Math.hypot(x - at.x, z - at.z) < 0.6) hit = object;
  }
  if (hit !== undefined) void grab(hit.id);
  else demo.target = at;
});
document.addEventListener("keydown", (event) => {
  if (event.target instanceof HTMLInputElement) return;
  demo.keys.add(event.key.toLowerCase());
  if (event.key.toLowerCase() === "g") void grab("-1-1");
});
document.addEventListener(
  "keyup",
  (event) => demo.keys.delete(event.key.toLowerCase()),
);

let last = performance.now();
function frame(now: number): void {
  const dt = Math.min(0.1, (now - last) / 1000);
  last = now;
  move(dt);
  draw();
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

function move(dt: number): void {
  const avatar = demo.avatar;
  if (avatar === null || avatar.destroyed) return;
  let [x, z] = posOf(avatar);
  const k = demo.keys;
  let dx = (k.has("arrowright") || k.has("d") ? 1 : 0) -
    (k.has("arrowleft") || k.has("a") ? 1 : 0);
  let dz = (k.has("arrowdown") || k.has("s") ? 1 : 0) -
    (k.has("arrowup") || k.has("w") ? 1 : 0);
  if (dx !== 0 || dz !== 0) demo.target = null;
  else if (demo.target !== null) {
    dx = demo.target.x - x;
    dz = demo.target.z - z;
    if (Math.hypot(dx, dz) < 0.05) demo.target = null;
  }
  const length = Math.hypot(dx, dz);
  if (length === 0) return;
  const step = Math.min(length, SPEED * dt);
  x += dx / length * step;
  z += dz / length * step;
  const angle = Math.atan2(dx, dz);
  avatar.set("pos", vec3(round(x), 0, round(z)))
    .set(
      "rot",
      vec4(0, round(Math.sin(angle / 2)), 0, round(Math.cos(angle / 2))),
    );
  const carried = demo.carrying;
  if (carried?.isMine) carried.set("pos", vec3(round(x), 1, round(z)));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function draw(): void {
  paint.clearRect(0, 0, canvas.width, canvas.height);
  paint.strokeStyle = "#ddd";
  for (let x = ORIGIN.x % SCALE; x < canvas.width; x += SCALE) {
    paint.beginPath();
    paint.moveTo(x, 0);
    paint.lineTo(x, canvas.height);
    paint.stroke();
  }
  for (let y = ORIGIN.y % SCALE; y < canvas.height; y += SCALE) {
    paint.beginPath();
    paint.moveTo(0, y);
    paint.lineTo(canvas.width, y);
    paint.stroke();
  }
  const scene = demo.scene;
  if (scene === null) return;
  const objects = [...scene.objects.values()];
  // Avatars last, so that they are drawn over what they carry.
  objects.sort((a, b) =>
    Number(a.type === "avatar") - Number(b.type === "avatar")
  );
  for (const object of objects) {
    const [x, z] = posOf(object);
    const cx = ORIGIN.x + x * SCALE;
    const cy = ORIGIN.y + z * SCALE;
    const mine = object.owner === scene.self;
    paint.lineWidth = mine ? 3 : 1;
    paint.strokeStyle = mine ? "#06c" : "#333";
    if (object.type === "avatar") {
      paint.fillStyle = mine ? "#8cf" : "#fc8";
      paint.beginPath();
      paint.arc(cx, cy, 12, 0, Math.PI * 2);
      paint.fill();
      paint.stroke();
      paint.fillStyle = "#222";
      paint.fillText(String(object.get("name")), cx + 14, cy - 10);
    } else if (object.type === "ball") {
      paint.fillStyle = "#e33";
      paint.beginPath();
      paint.arc(cx, cy, 8, 0, Math.PI * 2);
      paint.fill();
      paint.stroke();
    } else {
      const color = object.get("color") as readonly number[] | undefined;
      paint.fillStyle = color
        ? `rgb(${color.map((c) => Math.round(c * 255)).join(",")})`
        : "#a86";
      paint.fillRect(cx - 9, cy - 9, 18, 18);
      paint.strokeRect(cx - 9, cy - 9, 18, 18);
    }
  }
}

function renderPanel(): void {
  const scene = demo.scene;
  if (scene === null) return;
  const members = $("members");
  members.replaceChildren(...scene.participants.map((id) => {
    const li = document.createElement("li");
    const avatar = [...scene.objects.values()].find((o) =>
      o.type === "avatar" && o.owner === id
    );
    li.textContent = `${id}${avatar ? ` ${avatar.get("name")}` : ""}${
      id === scene.master ? " (master)" : ""
    }${id === scene.self ? " (you)" : ""}`;
    return li;
  }));
  const rows = [...scene.objects.values()].map((object) => {
    const tr = document.createElement("tr");
    tr.dataset.id = object.id;
    for (const text of [object.id, object.type, String(object.owner)]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  $("objects").replaceChildren(...rows);
}

setInterval(() => {
  const r = demo.rates;
  $("rates").textContent = `in ${r.in} · out ${r.out}`;
  r.in = 0;
  r.out = 0;
  renderPanel();
}, 1000);
