// The status page's one inline script: it refreshes the page's data in place every
// `data-refresh` seconds (from <body>), so the reader keeps the scroll position, the sideways
// scroll of wide tables, and whatever is typed in the lease filter (the form is never replaced).
// It fetches the same URL (same origin, so the browser sends the same Basic credentials), and
// swaps <header>, <main> and <footer> from the answer. A 401, or an HTML answer that is not the
// status page (a standby's 503 page naming the active node), reloads the whole page, so the
// browser shows it as a plain load would; a server that cannot be reached, or answers an error
// without a page (a 503 while storage fails), leaves the page as it is, says so in the footer,
// and is tried again. Without script, a <noscript> meta refresh reloads the page instead.
// `vglsRefresh()` runs one refresh now and returns its promise (for tests and the console).
#pragma once

#include <string_view>

namespace vgls::server {

inline constexpr std::string_view status_page_script = R"js(
(function () {
  "use strict";
  var seconds = Number(document.body.getAttribute("data-refresh")) || 30;
  var pending = null;
  var timer = 0;

  function note(text) {
    var state = document.getElementById("refresh-state");
    if (state) state.textContent = text;
  }

  function sideways() {
    return Array.prototype.map.call(document.querySelectorAll("main .scroll"), function (e) {
      return e.scrollLeft;
    });
  }

  function swap(next) {
    var x = window.scrollX, y = window.scrollY, lefts = sideways();
    var form = document.querySelector("main form.filters");
    var active = document.activeElement, selection = null;
    if (form && active && form.contains(active)) {
      try { selection = [active.selectionStart, active.selectionEnd]; } catch (e) { selection = null; }
    }
    var main = document.adoptNode(next.querySelector("main"));
    var slot = main.querySelector("form.filters");
    if (form && slot) slot.replaceWith(form);
    document.querySelector("main").replaceWith(main);
    ["header", "footer"].forEach(function (name) {
      var mine = document.querySelector(name), theirs = next.querySelector(name);
      if (mine && theirs) mine.replaceWith(document.adoptNode(theirs));
    });
    if (form && active && form.contains(active)) {
      active.focus({ preventScroll: true });
      if (selection && selection[0] !== null && active.setSelectionRange) {
        try { active.setSelectionRange(selection[0], selection[1]); } catch (e) { /* not text */ }
      }
    }
    document.querySelectorAll("main .scroll").forEach(function (e, i) {
      if (lefts[i]) e.scrollLeft = lefts[i];
    });
    window.scrollTo(x, y);
    document.body.setAttribute("data-refreshed", String(Number(document.body.getAttribute("data-refreshed") || 0) + 1));
  }

  function refresh() {
    if (pending) return pending;
    // Absolute and without user info: a page opened as user:token@host may not fetch
    // relative URLs (they would carry the credentials); the browser sends them from its cache.
    pending = fetch(location.origin + location.pathname + location.search, {
      cache: "no-store", credentials: "same-origin", headers: { "Accept": "text/html" }
    }).then(function (answer) {
      var html = (answer.headers.get("Content-Type") || "").indexOf("text/html") === 0;
      if (answer.ok && html) {
        return answer.text().then(function (text) {
          var next = new DOMParser().parseFromString(text, "text/html");
          if (!next.getElementById("pools") || !next.querySelector("main")) { location.reload(); return; }
          swap(next);
        });
      }
      // A page to show instead (a standby's), or credentials to ask for: load it as a page.
      if (answer.status === 401 || html) { location.reload(); return; }
      note(" \u00b7 the server answered " + answer.status + " at " + new Date().toLocaleTimeString() +
           "; trying again in " + seconds + " s");
    }, function () {
      note(" \u00b7 could not reach the server at " + new Date().toLocaleTimeString() +
           "; trying again in " + seconds + " s");
    }).then(function () { pending = null; }, function () { pending = null; });
    return pending;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (document.hidden) { schedule(); return; }
      refresh().then(schedule);
    }, seconds * 1000);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) refresh().then(schedule);
  });
  window.vglsRefresh = refresh;
  schedule();
})();
)js";

}  // namespace vgls::server
