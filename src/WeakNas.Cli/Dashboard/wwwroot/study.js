// weaknas dashboard: one study, refreshed in place: header, history, Pareto view, failures, decisions, trials table.
"use strict";

(() => {
  const { el, num, duration, poll } = WN;
  const $ = (id) => document.getElementById(id);
  const name = decodeURIComponent(location.pathname.replace(/^\/study\//, ""));
  const api = `/api/studies/${encodeURIComponent(name)}`;
  const colors = { point: "rgba(9,105,218,0.75)", best: "#bc4c00", dominated: "rgba(101,109,118,0.55)", front: "#cf222e", median: "#1f2328" };
  let data = null;
  let sort = { key: "number", dir: 1 };

  document.title = `${name} · weaknas dashboard`;
  $("name").textContent = name;

  // ---- charts: one uPlot per container, fed new data in place while its shape (series, labels) stays the same ----
  const charts = new Map();

  function plot(container, key, makeOptions, plotData, rows) {
    let c = charts.get(container.id);
    if (c && c.key === key) {
      c.rows = rows;
      c.u.setData(plotData);
      return;
    }
    if (c) c.u.destroy();
    container.replaceChildren();
    const options = makeOptions();
    options.width = Math.max(200, container.clientWidth);
    c = { key, rows, height: options.height, u: null };
    charts.set(container.id, c);
    c.u = new uPlot(options, plotData, container);
  }

  function unplot(container, message) {
    const c = charts.get(container.id);
    if (c) { c.u.destroy(); charts.delete(container.id); }
    container.replaceChildren(el("p", { class: "empty" }, message));
  }

  window.addEventListener("resize", () => {
    for (const [id, c] of charts) {
      const container = $(id);
      if (container) c.u.setSize({ width: Math.max(200, container.clientWidth), height: c.height });
    }
  });

  /** Shows the trial under the cursor below a chart: its number, value and architecture. */
  function hover(id, hoverId, metric) {
    return (u) => {
      const c = charts.get(id), i = u.cursor.idx;
      const t = c && i !== null && i !== undefined ? c.rows[i] : null;
      $(hoverId).textContent = t ? `trial #${t.number} · ${metric} ${num(t.value)} · ${t.arch}` : "";
    };
  }

  const axis = (label) => ({ label, values: (u, splits) => splits.map(num), stroke: "#57606a", grid: { stroke: "#eaeef2" }, ticks: { stroke: "#d8dee4" } });
  const dots = (label, fill, size) => ({ label, stroke: fill, fill, paths: () => null, points: { show: true, size, stroke: fill, fill }, value: (u, v) => num(v) });

  // ---- optimization history ----
  function history(json) {
    const metric = json.metric;
    const done = json.trials.filter((t) => t.state === "complete" && Number.isFinite(t.value)).sort((a, b) => a.number - b.number);
    if (done.length === 0) return unplot($("history"), "No complete trial yet.");
    let best = -Infinity;
    const bests = done.map((t) => (best = Math.max(best, t.value)));
    plot($("history"), "history", () => ({
      height: 280,
      scales: { x: { time: false } },
      series: [
        { label: "trial", value: (u, v) => (v === null ? "" : `#${v}`) },
        dots(metric, colors.point, 6),
        { label: "best so far", stroke: colors.best, width: 2, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false }, value: (u, v) => num(v) },
      ],
      axes: [axis("trial"), axis(metric)],
      hooks: { setCursor: [hover("history", "history-hover", metric)] },
    }), [done.map((t) => t.number), done.map((t) => t.value), bests], done);
  }

  // ---- Pareto view: the study's metric (maximised) against another reported metric ----
  function pareto(json) {
    const card = $("pareto-card"), select = $("pareto-metric");
    const numeric = json.metrics.filter((m) => m.numeric).map((m) => m.name);
    if (numeric.length === 0) { card.hidden = true; return; }
    card.hidden = false;
    const options = [...select.options].map((o) => o.value);
    if (options.join("\n") !== numeric.join("\n")) {
      const keep = select.value;
      select.replaceChildren(...numeric.map((m) => el("option", { value: m }, m)));
      select.value = numeric.includes(keep) ? keep : numeric.includes("params") ? "params" : numeric[0];
    }
    const other = select.value, minimise = $("pareto-direction").value === "min", metric = json.metric;
    const points = json.trials
      .filter((t) => t.state === "complete" && Number.isFinite(t.value) && t.metrics && Number.isFinite(t.metrics[other]))
      .map((t) => ({ t, x: t.metrics[other], y: t.value }));
    // Non-dominated: no other point at least as good in both (higher value; lower, or higher, other metric) and better in one.
    const better = (a, b) => (minimise ? a < b : a > b);
    points.sort((a, b) => (a.x !== b.x ? (better(a.x, b.x) ? -1 : 1) : b.y - a.y));
    let bestY = -Infinity, lastFront = null;
    for (const p of points) {
      p.front = p.y > bestY || (lastFront !== null && p.y === lastFront.y && p.x === lastFront.x);
      if (p.front) { bestY = Math.max(bestY, p.y); lastFront = p; }
    }
    const front = points.filter((p) => p.front).length;
    $("pareto-hint").textContent = points.length === 0
      ? ""
      : `${front} of ${points.length} complete trials are non-dominated (${metric} maximised, ${other} ${minimise ? "minimised" : "maximised"}); they are drawn in red.`;
    if (points.length === 0) return unplot($("pareto"), `No complete trial reports ${other}.`);
    points.sort((a, b) => a.x - b.x || a.y - b.y);
    plot($("pareto"), `pareto ${other} ${minimise}`, () => ({
      height: 280,
      scales: { x: { time: false } },
      series: [
        { label: other, value: (u, v) => num(v) },
        dots("dominated", colors.dominated, 5),
        dots("non-dominated", colors.front, 7),
        { label: "front", stroke: colors.front, width: 1, spanGaps: true, paths: uPlot.paths.stepped({ align: minimise ? 1 : -1 }), points: { show: false }, value: (u, v) => num(v) },
      ],
      axes: [axis(other), axis(metric)],
      hooks: { setCursor: [hover("pareto", "pareto-hover", metric)] },
    }), [
      points.map((p) => p.x),
      points.map((p) => (p.front ? null : p.y)),
      points.map((p) => (p.front ? p.y : null)),
      points.map((p) => (p.front ? p.y : null)),
    ], points.map((p) => p.t));
  }
  $("pareto-metric").addEventListener("change", () => data && pareto(data));
  $("pareto-direction").addEventListener("change", () => data && pareto(data));

  // ---- decisions of a declared space: the metric of complete trials by each decision's value ----
  /** A fixed sideways offset per trial in [-0.2, 0.2], so that points of one choice do not hide each other. */
  const jitter = (n) => ((Math.imul(n + 1, 0x9e3779b1) >>> 0) / 4294967296 - 0.5) * 0.4;

  function median(values) {
    const s = [...values].sort((a, b) => a - b), m = s.length >> 1;
    return s.length === 0 ? null : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  function decisions(json) {
    const card = $("decisions-card"), box = $("decisions");
    if (!json.decisions) { card.hidden = true; return; }
    card.hidden = false;
    const done = json.trials.filter((t) => t.state === "complete" && Number.isFinite(t.value) && t.choices);
    $("decisions-hint").textContent =
      `${json.metric} of the ${done.length} complete trials by the value each decision took (spread sideways to be seen); the black dot is the median of each value. A trial whose decision was switched off by another is left out of that decision.`;
    const shape = json.decisions.map((d) => `${d.name}:${d.choices.join(",")}`).join(";");
    if (box.dataset.shape !== shape) {
      for (const id of [...charts.keys()].filter((k) => k.startsWith("decision-"))) { charts.get(id).u.destroy(); charts.delete(id); }
      box.replaceChildren(...json.decisions.map((d, i) =>
        el("div", { class: "decision", "data-decision": d.name }, el("h3", {}, d.name), el("div", { class: "chart", id: `decision-${i}` }),
          el("p", { class: "choices", id: `decision-${i}-choices` }))));
      box.dataset.shape = shape;
    }
    json.decisions.forEach((d, i) => {
      const k = d.choices.length;
      const rows = done.filter((t) => t.choices[i] >= 0);
      const counts = d.choices.map((_, c) => rows.filter((t) => t.choices[i] === c).length);
      const items = rows.map((t) => ({ x: t.choices[i] + jitter(t.number), y: t.value, m: null, t }));
      const medians = d.choices.map((_, c) => median(rows.filter((t) => t.choices[i] === c).map((t) => t.value)));
      medians.forEach((m, c) => { if (m !== null) items.push({ x: c, y: null, m, t: null }); });
      items.sort((a, b) => a.x - b.x);
      const labels = d.choices;
      $(`decision-${i}-choices`).textContent = d.choices
        .map((c, j) => `${c} (${counts[j]})${medians[j] === null ? "" : `: median ${num(medians[j])}`}`).join(" · ");
      plot($(`decision-${i}`), `decision ${labels.length} ${k > 5}`, () => ({
        height: 190,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, k - 0.5] } },
        series: [{}, dots(json.metric, colors.point, 5), dots("median", colors.median, 9)],
        axes: [
          { splits: () => d.choices.map((_, j) => j), values: (u, splits) => splits.map((s) => labels[s] ?? ""), stroke: "#57606a", grid: { show: false },
            rotate: k > 5 ? -35 : 0, size: k > 5 ? 70 : 40, ticks: { stroke: "#d8dee4" } },
          { values: (u, splits) => splits.map(num), stroke: "#57606a", grid: { stroke: "#eaeef2" }, size: 56, ticks: { stroke: "#d8dee4" } },
        ],
      }), [items.map((p) => p.x), items.map((p) => p.y), items.map((p) => p.m)], items.map((p) => p.t));
    });
  }

  // ---- failures ----
  function failures(json) {
    const failed = json.trials.filter((t) => t.state === "failed");
    $("no-failures").hidden = failed.length > 0;
    $("failures").replaceChildren(...failed.map((t) =>
      el("li", { "data-trial": t.number },
        el("div", { class: "meta" }, `trial #${t.number} · ${t.worker || "no worker"} · ${t.attempts} attempt${t.attempts === 1 ? "" : "s"}`,
          t.finished_ms ? ` · ${new Date(t.finished_ms).toLocaleString()}` : ""),
        el("div", { class: "reason" }, t.error || "(no reason recorded)"),
        el("div", { class: "mono arch", title: t.arch }, t.arch))));
  }

  // ---- trials table ----
  function columns(json) {
    const cols = [
      { key: "number", label: "#", num: true, get: (t) => t.number },
      { key: "state", label: "State", get: (t) => t.state, cell: (t) => el("span", { class: `state ${t.state}` }, t.state) },
      { key: "worker", label: "Worker", get: (t) => t.worker },
      { key: "duration", label: "Duration", num: true, get: (t) => t.duration_ms, show: duration },
      { key: "attempts", label: "Attempts", num: true, get: (t) => t.attempts },
      { key: "value", label: json.metric, num: true, get: (t) => t.value },
    ];
    for (const m of json.metrics) {
      cols.push({ key: `metric:${m.name}`, label: m.name, num: m.numeric, get: (t) => (t.metrics ? t.metrics[m.name] : undefined) });
    }
    cols.push({ key: "arch", label: "Architecture", cls: "arch mono", get: (t) => t.arch, title: true });
    cols.push({ key: "error", label: "Error", cls: "error", get: (t) => t.error, title: true });
    return cols;
  }

  function compare(a, b) {
    const none = (v) => v === null || v === undefined || v === "";
    if (none(a) || none(b)) return none(a) ? (none(b) ? 0 : 1) : -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), "en", { numeric: true });
  }

  function table(json) {
    const cols = columns(json);
    if (!cols.some((c) => c.key === sort.key)) sort = { key: "number", dir: 1 };
    const col = cols.find((c) => c.key === sort.key);
    const text = (v) => (v !== null && typeof v === "object" ? JSON.stringify(v) : v);
    $("trials").tHead.replaceChildren(el("tr", {}, cols.map((c) =>
      el("th", {
        class: "sortable", "data-key": c.key, title: `sort by ${c.label}`,
        onclick: () => { sort = { key: c.key, dir: sort.key === c.key ? -sort.dir : c.num ? -1 : 1 }; table(data); },
      }, c.label, el("span", { class: "dir" }, sort.key === c.key ? (sort.dir > 0 ? " ▲" : " ▼") : "")))));
    const rows = [...json.trials].sort((a, b) => {
      const va = col.get(a), vb = col.get(b), none = (v) => v === null || v === undefined || v === "";
      if (none(va) || none(vb)) return compare(va, vb) || a.number - b.number; // empty cells last either way
      return sort.dir * compare(va, vb) || a.number - b.number;
    });
    $("trials").tBodies[0].replaceChildren(...rows.map((t) => el("tr", { "data-trial": t.number, "data-state": t.state }, cols.map((c) => {
      const v = c.get(t);
      const shown = c.cell ? c.cell(t) : c.show ? c.show(v) : typeof v === "number" ? num(v) : text(v) ?? "";
      return el("td", { class: [c.num ? "num" : "", c.cls || ""].join(" ").trim() || null, title: c.title && v ? String(v) : null }, shown);
    }))));
  }

  // ---- header ----
  function header(json) {
    const s = json.status;
    $("facts").replaceChildren(
      ...[["space", json.space + (json.declared ? " (declared)" : "")], ["strategy", json.strategy], ["seed", json.seed], ["budget", json.budget],
        ["batch", json.batch], ["metric", `${json.metric} (maximised)`]]
        .flatMap(([k, v], i) => [i ? " · " : "", `${k} `, el("b", {}, String(v))]),
      json.created_ms ? ` · created ${new Date(json.created_ms).toLocaleString()}` : "");
    $("paused").hidden = !s.paused;
    $("paused").textContent = s.paused ? `Paused: ${s.paused}. Workers stop until you fix the evaluator and run: weaknas study resume ${json.name}` : "";
    const count = (what, n, label) => el("div", { class: `count ${what}`, id: `count-${what}` }, el("span", { class: "n" }, String(n)), el("span", { class: "what" }, label));
    $("counts").replaceChildren(
      count("total", s.total, `trials of ${json.budget}`),
      count("complete", s.complete, "complete"), count("failed", s.failed, "failed"),
      count("running", s.running, `running${s.workers ? ` (${s.workers} worker${s.workers === 1 ? "" : "s"})` : ""}`),
      count("waiting", s.waiting, "waiting"));
    $("trial-count").textContent = `${json.trials.length} trial${json.trials.length === 1 ? "" : "s"}`;
    $("best").replaceChildren(...(s.best
      ? [el("span", { class: "value", id: "best-value" }, num(s.best.value)), ` ${json.metric}, trial #${s.best.number}`, el("br"),
        el("code", { id: "best-arch" }, s.best.arch)]
      : [el("span", { class: "empty" }, "No complete trial yet.")]));
  }

  function render(json) {
    data = json;
    $("error").hidden = true;
    $("study").hidden = false;
    header(json);
    table(json);
    failures(json);
    history(json);
    pareto(json);
    decisions(json);
  }

  poll(() => api, (json, status) => {
    if (status === 200) return render(json);
    $("study").hidden = !data;
    $("error").replaceChildren(json.error || `the server answered ${status}`, " · ", el("a", { href: "/" }, "all studies"));
    $("error").hidden = false;
  }, (message) => {
    $("error").textContent = message;
    $("error").hidden = false;
  });
})();
