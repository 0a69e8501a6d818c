// weaknas dashboard: what both pages share (formatting, DOM building, polling). Plain JS, no build step.
"use strict";

const WN = (() => {
  /** A number as people read it: up to 4 decimals, exponents for very large or small ones; text as it is. */
  function num(v) {
    if (v === null || v === undefined) return "";
    if (typeof v !== "number") return String(v);
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (Number.isInteger(v) && a < 1e15) return String(v);
    if (a !== 0 && (a >= 1e7 || a < 1e-4)) return v.toExponential(3);
    return String(Number(v.toFixed(4)));
  }

  /** Milliseconds as a duration: 850 ms, 12.3 s, 4 min 05 s, 2 h 10 min. */
  function duration(ms) {
    if (ms === null || ms === undefined) return "";
    if (ms < 1000) return `${ms} ms`;
    const s = ms / 1000;
    if (s < 60) return `${s.toFixed(1)} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, "0")} s`;
    return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
  }

  /** An element with attributes (class, title, data-*, on* handlers) and children (nodes or text, never parsed as HTML). */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "class") e.className = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  /** The trial counts as a bar of budget: complete, failed, running, waiting. */
  function bar(status, budget) {
    const total = Math.max(budget, status.total, 1);
    const part = (what) => el("span", { class: what, style: `width:${(100 * status[what]) / total}%`, title: `${status[what]} ${what}` });
    return el("div", { class: "bar", title: `${status.total} of ${budget} proposed` },
      part("complete"), part("failed"), part("running"), part("waiting"));
  }

  /** What state a study is in, for a badge. */
  function studyState(s) {
    if (s.status.paused) return "paused";
    if (s.status.running > 0) return "running";
    if (s.status.complete + s.status.failed >= s.budget) return "finished";
    return "idle";
  }

  /**
   * Asks for url every interval (the server's refresh_ms once known) and calls onData(json, status) when the answer
   * changed; onError(message) when the server cannot be reached. Never overlaps two requests.
   */
  function poll(url, onData, onError) {
    let last = null, interval = 2000;
    const live = document.getElementById("live");
    async function tick() {
      try {
        const r = await fetch(url(), { cache: "no-store", headers: { Accept: "application/json" } });
        const text = await r.text();
        let json;
        try { json = JSON.parse(text); } catch { throw new Error(`the server answered ${r.status} with no JSON`); }
        if (json.refresh_ms) interval = json.refresh_ms;
        if (live) { live.textContent = `live · updated ${new Date().toLocaleTimeString()}`; live.classList.remove("lost"); }
        if (text !== last) { last = text; onData(json, r.status); }
      } catch (e) {
        last = null;
        if (live) { live.textContent = "lost contact with the dashboard server; retrying"; live.classList.add("lost"); }
        if (onError) onError(String(e.message || e));
      }
      setTimeout(tick, interval);
    }
    tick();
  }

  return { num, duration, el, bar, studyState, poll };
})();
