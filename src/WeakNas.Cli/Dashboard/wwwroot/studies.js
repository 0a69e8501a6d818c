// weaknas dashboard: the list of studies in the storage.
"use strict";

(() => {
  const { el, num, bar, studyState, poll } = WN;
  const body = document.querySelector("#studies tbody");
  const error = document.getElementById("error");

  function render(json) {
    error.hidden = true;
    document.getElementById("storage").textContent = json.storage;
    document.getElementById("none").hidden = json.studies.length > 0;
    body.replaceChildren(...json.studies.map((s) => {
      const st = s.status, state = studyState(s);
      const best = st.best
        ? el("span", { title: st.best.arch }, el("b", {}, num(st.best.value)), " ", el("span", { class: "facts" }, `#${st.best.number}`))
        : el("span", { class: "facts" }, "none yet");
      return el("tr", { "data-study": s.name },
        el("td", {}, el("a", { href: `/study/${encodeURIComponent(s.name)}` }, s.name)),
        el("td", {}, s.space, s.declared ? el("span", { class: "facts" }, " (declared)") : null),
        el("td", {}, s.strategy),
        el("td", {}, s.metric),
        el("td", { class: "num", title: `${st.complete} complete, ${st.failed} failed, ${st.running} running, ${st.waiting} waiting` },
          `${st.complete + st.failed} / ${s.budget}`),
        el("td", {}, bar(st, s.budget)),
        el("td", { class: "num" }, best),
        el("td", { title: st.paused || "" }, el("span", { class: `state ${state}` }, state)));
    }));
  }

  poll(() => "/api/studies", (json, status) => {
    if (status !== 200) { error.textContent = json.error; error.hidden = false; return; }
    render(json);
  }, (message) => { error.textContent = message; error.hidden = false; });
})();
