// BorderWatch console: live queue rows from the SSE stream, SLA clocks, keyboard shortcuts.
// htmx and its SSE extension hold the connection; this file only places rows and handles keys.
(function () {
  "use strict";

  function queue() { return document.getElementById("queue"); }

  function admitted(row) {
    var status = queue() ? queue().dataset.status : "all";
    var decided = row.dataset.decided === "1";
    if (status === "open") return !decided;
    if (status === "claimed") return row.dataset.status === "claimed";
    if (status === "decided") return decided;
    return true;
  }

  function before(a, b, sort) { // does row a sort before row b?
    var ta = parseFloat(a.dataset.firstSeen), tb = parseFloat(b.dataset.firstSeen);
    if (sort !== "age") {
      var ra = parseInt(a.dataset.rank, 10), rb = parseInt(b.dataset.rank, 10);
      if (ra !== rb) return ra > rb;
    }
    return ta < tb;
  }

  function place(row) {
    var rows = document.getElementById("queue-rows");
    var old = document.getElementById(row.id);
    if (old) old.remove();
    if (!rows || !admitted(row)) return;
    var sort = queue().dataset.sort;
    var next = null;
    for (var i = 0; i < rows.children.length; i++) {
      if (before(row, rows.children[i], sort)) { next = rows.children[i]; break; }
    }
    rows.insertBefore(row, next);
    htmx.process(row);
    if (old && old.classList.contains("selected")) row.classList.add("selected");
  }

  function count() {
    var rows = document.getElementById("queue-rows");
    var c = document.getElementById("queue-count");
    if (rows && c) c.textContent = rows.children.length;
  }

  document.addEventListener("htmx:sseBeforeMessage", function (evt) {
    evt.preventDefault(); // rows are placed here, in sort order, not swapped in
    var msg = evt.detail;
    var live = document.getElementById("live");
    if (live && msg.lastEventId) { // a new EventSource (after an error) resumes from here too
      live.setAttribute("sse-connect", live.getAttribute("sse-connect").replace(/after=[^&]*/, "after=" + encodeURIComponent(msg.lastEventId)));
    }
    if (msg.type === "reload") { window.location.reload(); return; }
    if (!msg.data) return;
    var tpl = document.createElement("template");
    tpl.innerHTML = msg.data.trim();
    var row = tpl.content.firstElementChild;
    var review = document.getElementById("review");
    if (review) { // the review page: redraw who holds this alert, and its hit count, when they change
      if (row && row.dataset.alertId === review.dataset.alertId) {
        var hits = document.getElementById("hit-count");
        if (hits) hits.textContent = row.dataset.hits + " hit(s)";
        htmx.ajax("GET", "/alerts/" + review.dataset.alertId + "/claim", { target: "#claim", swap: "outerHTML" });
      }
      return;
    }
    if (row) place(row);
    count();
    tick();
  });
  document.addEventListener("htmx:sseOpen", function () {
    var s = document.getElementById("stream-state"); if (s) s.textContent = "live";
  });
  document.addEventListener("htmx:sseError", function () {
    var s = document.getElementById("stream-state"); if (s) s.textContent = "reconnecting…";
  });

  // htmx leaves the page as it was on an error answer: say why (claimed by someone else, decided, session over)
  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail.xhr, text = xhr.statusText;
    try { text = JSON.parse(xhr.responseText).detail || text; } catch (e) { /* not JSON */ }
    if (xhr.status === 401) { window.location.href = "/login"; return; }
    var flash = document.getElementById("flash");
    if (flash) { flash.textContent = text; flash.hidden = false; }
  });

  function tick() {
    var now = Date.now() / 1000;
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      if (el.dataset.decided === "1") return;
      var left = Math.round(parseFloat(el.dataset.deadline) - now), late = left < 0;
      var s = Math.abs(left), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
      var text = h ? h + " h " + m + " min" : m + " min " + (sec < 10 ? "0" : "") + sec + " s";
      el.textContent = late ? "overdue " + text : text + " left";
      el.classList.toggle("overdue", late);
      var row = el.closest(".row"); if (row) row.classList.toggle("overdue", late);
    });
  }
  setInterval(tick, 1000);

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#queue-rows .row")); }
  function move(step) {
    var all = rows(); if (!all.length) return;
    var i = all.findIndex(function (r) { return r.classList.contains("selected"); });
    if (i >= 0) all[i].classList.remove("selected");
    i = Math.max(0, Math.min(all.length - 1, i + step));
    all[i].classList.add("selected"); all[i].focus();
  }
  function click(id) { var el = document.getElementById(id); if (el) el.click(); }

  document.addEventListener("keydown", function (evt) {
    var t = evt.target;
    if (evt.ctrlKey || evt.metaKey || evt.altKey) return;
    if (t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT")) {
      if (evt.key === "Escape") t.blur();
      return;
    }
    var keys = {
      j: function () { move(1); }, k: function () { move(-1); },
      Enter: function () { var s = document.querySelector("#queue-rows .row.selected"); if (s) s.click(); },
      a: function () { click("claim-button"); }, u: function () { click("release"); },
      c: function () { click("decide-confirmed"); }, f: function () { click("decide-false_positive"); },
      e: function () { click("decide-escalated"); },
      n: function () { var n = document.getElementById("note"); if (n) { n.focus(); } },
      r: function () { click("romanized-toggle"); },
      "?": function () { var k = document.querySelector(".keys"); if (k) k.classList.toggle("show"); }
    };
    if (keys[evt.key]) { evt.preventDefault(); keys[evt.key](); }
  });

  document.addEventListener("change", function (evt) {
    if (evt.target && evt.target.id === "romanized-toggle") {
      document.getElementById("compare").classList.toggle("show-romanized", evt.target.checked);
    }
  });
})();
