"use strict";
(function () {
  const REFRESH_MS = 10000;
  const NS = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  let timer = null;
  let paused = false;

  function el(tag, attrs, text) {
    const node = tag.startsWith("svg:") ? document.createElementNS(NS, tag.slice(4))
      : document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, String(v)));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  // The API omits empty minutes; charts show every minute of the window, missing = 0.
  function perMinute(timeline, series, minutes, reduce) {
    const now = Math.floor(Date.now() / 60000) * 60000;
    const slots = [];
    for (let i = minutes - 1; i >= 0; i--) slots.push({ t: now - i * 60000, v: 0 });
    const index = new Map(slots.map((s, i) => [s.t, i]));
    (timeline || []).filter((e) => e.series === series).forEach((e) => {
      const i = index.get(Date.parse(e.bucket));
      if (i !== undefined) slots[i].v = reduce(slots[i].v, e.value);
    });
    return slots;
  }
  const add = (a, b) => a + b;
  const hhmm = (t) => new Date(t).toTimeString().slice(0, 5);

  function chart(title, unit, layers, gauge) {
    const w = 600, h = 200, pad = 44, base = h - 30;
    const n = layers[0].slots.length;
    const totals = layers[0].slots.map((_, i) => layers.reduce((s, l) => s + l.slots[i].v, 0));
    const top = Math.max(...totals), peak = Math.max(1, top);
    const round = (x) => Math.round(x * 100) / 100;
    const span = `from ${hhmm(layers[0].slots[0].t)} to ${hhmm(layers[0].slots[n - 1].t)}`;
    const summary = gauge ? `${title}: highest ${round(top)} ${unit}, ${span}.`
      : `${title}: ${round(totals.reduce(add, 0))} ${unit} in total, at most ${round(top)} in a `
        + `minute, ${span}.`;
    const fig = el("figure");
    fig.append(el("figcaption", {}, title));
    const svg = el("svg:svg", { viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": summary });
    const bw = (w - pad) / n;
    const offs = new Array(n).fill(0);
    layers.forEach((layer) => layer.slots.forEach((s, i) => {
      if (!s.v) return;
      const bh = (s.v / peak) * (base - 8);
      offs[i] += bh;
      svg.append(el("svg:rect", { x: pad + i * bw, y: base - offs[i], width: Math.max(1, bw - 1),
        height: bh, fill: layer.color }));
    }));
    svg.append(el("svg:line", { x1: pad, y1: base, x2: w, y2: base, stroke: "#4a4f57" }));
    svg.append(el("svg:text", { x: 0, y: 20 }, round(peak)));
    svg.append(el("svg:text", { x: 0, y: base }, "0"));
    svg.append(el("svg:text", { x: pad, y: h - 4 }, hhmm(layers[0].slots[0].t)));
    svg.append(el("svg:text", { x: w - 60, y: h - 4 }, hhmm(layers[0].slots[n - 1].t)));
    fig.append(svg);
    if (layers.length > 1) {
      fig.append(el("p", { class: "legend" }, layers.map((l) => l.label).join(" (lower) · ")
        + " (upper)"));
    }
    fig.append(el("p", { class: "legend" }, summary));
    return fig;
  }

  function renderCharts(byId, minutes) {
    const api = (byId.api || {}).timeline, blob = (byId["blob-store"] || {}).timeline;
    const series = (tl, s, reduce) => perMinute(tl, s, minutes, reduce || add);
    const box = $("charts");
    box.replaceChildren(
      chart("Requests", "requests", [{ slots: series(api, "requests"), color: "#1f5fa8" }]),
      chart("Errors (4xx and 5xx)", "errors", [
        { label: "4xx", slots: series(api, "errors_4xx"), color: "#8a4b00" },
        { label: "5xx", slots: series(api, "errors_5xx"), color: "#b00020" }]),
      chart("Mean latency per minute", "ms", [{ slots: series(api, "latency_mean_ms", Math.max),
        color: "#5b3a8c" }], true),
      chart("Ingests accepted", "ingests", [{ slots: series(blob, "ingests"), color: "#0a6b2a" }]),
      chart("Downloads", "downloads", [{ slots: series(blob, "downloads"), color: "#1f5fa8" }]));
  }

  function renderComponents(components) {
    $("components").replaceChildren(...components.map((c) => {
      const li = el("li", { class: "card", "data-component-id": c.id, "data-status": c.status });
      const h = el("h3", {}, c.display_name || c.id);
      h.append(el("span", { class: `badge ${c.status}` }, c.status));
      li.append(h, el("p", {}, c.description || ""));
      if ((c.issues || []).length) {
        const ul = el("ul", { class: "issues", "aria-label": `${c.display_name} issues` });
        c.issues.forEach((i) => ul.append(el("li", {}, `${i.severity}: ${i.code} – ${i.summary}`)));
        li.append(ul);
      }
      const dl = el("dl");
      Object.entries(c.metrics || {}).slice(0, 8).forEach(([k, v]) => {
        dl.append(el("dt", {}, k.replace(/_/g, " ")), el("dd", {}, v));
      });
      li.append(dl);
      return li;
    }));
  }

  function renderLogs(data) {
    const link = (data.links || [])[0];
    $("logs-source").textContent = data.source === "cloudwatch"
      ? "Logs are in CloudWatch: " + (link ? link.url : "see the function log groups.")
      : "From the local server log" + (link ? ` (${link.url})` : "") + ".";
    $("logs").tBodies[0].replaceChildren(...(data.lines || []).slice(-30).reverse().map((l) => {
      const tr = el("tr");
      [l.timestamp, l.level, l.endpoint, l.status, l.message].forEach((v, i) =>
        tr.append(el("td", i === 4 ? { class: "msg" } : {}, v === undefined ? "" : v)));
      return tr;
    }));
  }

  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    if (!r.ok) throw new Error(`${url} answered ${r.status}`);
    return r.json();
  }

  async function refresh() {
    const minutes = Number($("window").value);
    try {
      const data = await getJson(`health/components?includeTimeline=true&windowMinutes=${minutes}`);
      const byId = Object.fromEntries(data.components.map((c) => [c.id, c]));
      renderComponents(data.components);
      renderCharts(byId, minutes);
      const worst = data.components.filter((c) => c.status !== "ok").length;
      $("updated").textContent = `Updated ${new Date().toLocaleTimeString()}: ${
        worst ? worst + " component(s) need attention" : "all components ok"}.`;
      document.body.dataset.loaded = "true";
    } catch (err) {
      $("updated").textContent = `Could not load health data (${err.message}); retrying.`;
    }
    try { renderLogs(await getJson("health/logs?lines=30")); } catch (err) {
      $("logs-source").textContent = `Could not load log lines (${err.message}).`;
    }
  }

  function schedule() {
    clearInterval(timer);
    if (!paused) timer = setInterval(refresh, REFRESH_MS);
  }

  $("refresh").addEventListener("click", refresh);
  $("window").addEventListener("change", refresh);
  $("pause").addEventListener("click", (e) => {
    paused = !paused;
    e.currentTarget.setAttribute("aria-pressed", String(paused));
    schedule();
  });
  refresh();
  schedule();
})();
