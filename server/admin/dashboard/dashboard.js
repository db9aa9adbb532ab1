// The Switchboard dashboard: polls /status and /history once a second with
// the admin token as a bearer header, draws the rates on plain canvases and
// offers the admin actions. No build step, no libraries. Every value that a
// client chose (user and room names) is set as text, never as HTML.
"use strict";

const TOKEN_KEY = "switchboard.adminToken";
const POLL_MS = 1000;
/** Seconds of history the charts show. */
const CHART_SECONDS = 120;

const $ = (id) => document.getElementById(id);
let timer = null;

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

class Unauthorized extends Error {}

async function api(path, body) {
  const init = {
    headers: { authorization: `Bearer ${token()}` },
    cache: "no-store",
  };
  if (body !== undefined) {
    init.method = "POST";
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401) throw new Unauthorized("the token was refused");
  const data = await response.json();
  if (!response.ok) throw new Error(data.error?.message ?? response.statusText);
  return data;
}

function showLogin(error) {
  clearTimeout(timer);
  timer = null;
  $("dashboard").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = error ?? "";
  $("token").focus();
}

function showDashboard() {
  $("login").hidden = true;
  $("dashboard").hidden = false;
  $("logout").hidden = false;
  poll();
}

async function poll() {
  clearTimeout(timer);
  try {
    const [status, history] = await Promise.all([
      api("/status?rooms=200&sessions=500"),
      api("/history"),
    ]);
    render(status, history);
  } catch (error) {
    if (error instanceof Unauthorized) return showLogin(error.message);
    $("message").textContent = `cannot reach the server: ${error.message}`;
  }
  timer = setTimeout(poll, POLL_MS);
}

function say(text) {
  $("message").textContent = text;
}

// ---- numbers ---------------------------------------------------------------

function count(n) {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

function bytes(n) {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

function duration(seconds) {
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}

function time(iso) {
  return iso === null ? "" : new Date(iso).toLocaleTimeString();
}

// ---- rendering ---------------------------------------------------------------

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

function render(status, history) {
  $("server-info").textContent = `${status.node} · v${status.version} · up ${
    duration(status.uptimeSeconds)
  } · tcp ${status.listen.tcp}`;
  const state = $("state");
  state.textContent = status.draining
    ? `draining (${status.totals.connections} left)`
    : status.accepting
    ? "accepting"
    : "stopping";
  state.className = `state ${status.draining ? "draining" : ""}`;
  renderTotals(status);
  renderCharts(history);
  renderRooms(status);
  renderSessions(status);
}

function renderTotals(status) {
  const t = status.totals;
  const r = status.rates;
  const cards = [
    ["connections", count(t.connections)],
    ["sessions", count(t.sessions)],
    ["rooms", count(t.rooms)],
    ["members", count(t.members)],
    ["lines in/s", count(r.linesIn ?? 0)],
    ["lines out/s", count(r.linesOut ?? 0)],
    ["bytes in/s", bytes(r.bytesIn ?? 0)],
    ["bytes out/s", bytes(r.bytesOut ?? 0)],
    ["queued out", bytes(t.outboundQueuedBytes)],
    ["refusals", count(t.refusals)],
    ["slow-consumer cuts", count(t.slowConsumerCuts ?? 0)],
    ["logins ok / failed", `${count(t.loginsOk)} / ${count(t.loginsFailed)}`],
    [
      "event loop max",
      status.eventLoopDelay
        ? `${status.eventLoopDelay.maxMs.toFixed(1)} ms`
        : "-",
    ],
  ];
  const box = $("totals");
  box.replaceChildren(...cards.map(([label, value]) => {
    const card = el("div", undefined, "card");
    card.dataset.name = label;
    card.append(el("div", value, "value"), el("div", label, "label"));
    return card;
  }));
}

/** Per-second rates of `key` between consecutive samples. */
function rates(samples, key) {
  const out = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const seconds = Math.max(0.001, (b.t - a.t) / 1000);
    out.push({
      t: b.t,
      v: Math.max(0, ((b.values[key] ?? 0) - (a.values[key] ?? 0)) / seconds),
    });
  }
  return out;
}

function renderCharts(history) {
  const samples = history.samples.slice(-(CHART_SECONDS + 1));
  chart(
    $("chart-lines"),
    rates(samples, "linesIn"),
    rates(samples, "linesOut"),
    count,
  );
  chart(
    $("chart-bytes"),
    rates(samples, "bytesIn"),
    rates(samples, "bytesOut"),
    bytes,
  );
  chart(
    $("chart-trouble"),
    rates(samples, "refusals"),
    rates(samples, "cuts"),
    count,
  );
}

/** Draws two series (blue, orange) on `canvas`, scaled to their largest value. */
function chart(canvas, first, second, label) {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  const style = getComputedStyle(document.documentElement);
  ctx.clearRect(0, 0, width, height);
  const all = first.concat(second);
  const max = Math.max(1, ...all.map((p) => p.v));
  const end = all.length === 0 ? Date.now() : Math.max(...all.map((p) => p.t));
  const start = end - CHART_SECONDS * 1000;
  const x = (t) => ((t - start) / (end - start)) * (width - 2) + 1;
  const y = (v) => height - 14 - (v / max) * (height - 20);
  ctx.strokeStyle = style.getPropertyValue("--line");
  ctx.beginPath();
  ctx.moveTo(0, y(0));
  ctx.lineTo(width, y(0));
  ctx.stroke();
  for (const [series, color] of [[first, "--in"], [second, "--out"]]) {
    ctx.strokeStyle = style.getPropertyValue(color);
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    series.forEach((
      p,
      i,
    ) => (i === 0 ? ctx.moveTo(x(p.t), y(p.v)) : ctx.lineTo(x(p.t), y(p.v))));
    ctx.stroke();
  }
  ctx.fillStyle = style.getPropertyValue("--muted");
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillText(`max ${label(max)}/s`, 4, 11);
  ctx.fillText(`${CHART_SECONDS / 60} min ago`, 4, height - 2);
  ctx.fillText("now", width - 24, height - 2);
  // For people reading the page source and for tests: what was drawn last.
  const last = (s) => (s.length === 0 ? 0 : s[s.length - 1].v);
  canvas.dataset.points = String(first.length);
  canvas.dataset.last = `${Math.round(last(first))},${
    Math.round(last(second))
  }`;
  canvas.dataset.drawnAt = String(end);
}

function button(text, onClick, className) {
  const b = el("button", text, className);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

function renderRooms(status) {
  const rows = status.rooms.map((room) => {
    const tr = el("tr");
    tr.dataset.room = room.name;
    const who = room.members.map((m) =>
      `${m.id}${m.user === null ? "" : ` ${m.user}`}${
        m.joinedAt ? ` (${time(m.joinedAt)})` : ""
      }`
    ).join(", ");
    const actions = el("td");
    actions.append(
      button("Notice", () => roomNotice(room.name)),
      " ",
      button("Close", () => closeRoom(room.name), "danger"),
    );
    tr.append(
      el(
        "td",
        `${room.name}${room.declared ? " (declared)" : ""}${
          room.private ? " 🔒" : ""
        }`,
      ),
      el("td", String(room.memberCount)),
      el("td", room.master === null ? "" : String(room.master)),
      el("td", who),
      actions,
    );
    return tr;
  });
  $("rooms").tBodies[0].replaceChildren(...rows);
  $("rooms-more").textContent = status.roomsTruncated
    ? `showing the ${status.rooms.length} largest of ${status.totals.rooms} rooms`
    : status.rooms.length === 0
    ? "no rooms"
    : "";
}

function renderSessions(status) {
  const rows = status.sessions.map((s) => {
    const tr = el("tr");
    tr.dataset.session = String(s.id);
    const kickButton = button("Kick", () => kick(s), "danger");
    kickButton.dataset.kick = String(s.id);
    const actions = el("td");
    actions.append(kickButton);
    tr.append(
      el("td", String(s.id)),
      el("td", s.user),
      el("td", s.remote),
      el("td", s.room ?? ""),
      el("td", time(s.since)),
      el("td", `${count(s.linesIn)} / ${count(s.linesOut)}`),
      el("td", `${bytes(s.bytesIn)} / ${bytes(s.bytesOut)}`),
      el("td", bytes(s.queuedBytes)),
      actions,
    );
    return tr;
  });
  $("sessions").tBodies[0].replaceChildren(...rows);
  $("sessions-more").textContent = status.sessionsTruncated
    ? `showing ${status.sessions.length} of ${status.totals.sessions} sessions`
    : "";
}

// ---- actions -------------------------------------------------------------------

async function act(path, body, done) {
  try {
    const result = await api(path, body);
    say(done(result));
  } catch (error) {
    if (error instanceof Unauthorized) return showLogin(error.message);
    say(`${path.slice(1)} failed: ${error.message}`);
  }
  poll();
}

function kick(session) {
  const reason = prompt(
    `Kick session ${session.id} (${session.user})? Reason shown to the client:`,
    "",
  );
  if (reason === null) return;
  act(
    "/kick",
    { session: session.id, reason },
    (r) => `kicked session ${r.session} (${r.user})`,
  );
}

function closeRoom(name) {
  const reason = prompt(
    `Close room ${name}? Its members leave it. Reason shown to them (optional):`,
    "",
  );
  if (reason === null) return;
  act(
    "/close-room",
    { room: name, reason },
    (r) => `closed ${r.room}: ${r.members} members left it`,
  );
}

function roomNotice(name) {
  const text = prompt(`Notice to the members of ${name}:`, "");
  if (!text) return;
  act(
    "/notice",
    { text, room: name },
    (r) => `notice sent to ${r.receivers} in ${name}`,
  );
}

function start() {
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    $("token").value = "";
    showDashboard();
  });
  $("logout").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin();
  });
  $("notice-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("notice-text").value;
    act("/notice", { text }, (r) => `notice sent to ${r.receivers} sessions`);
    $("notice-text").value = "";
  });
  $("drain-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const seconds = Number($("drain-seconds").value);
    const exit = $("drain-exit").checked;
    if (
      !confirm(
        `Drain: stop accepting, tell everyone, end the sessions left after ${seconds} s${
          exit ? ", then stop the server" : ""
        }?`,
      )
    ) return;
    act(
      "/drain",
      {
        timeoutSeconds: seconds,
        notice: $("drain-notice").value || undefined,
        exit,
      },
      () => `draining: sessions left after ${seconds} s are ended`,
    );
  });
  if (token()) showDashboard();
  else showLogin();
}

start();
