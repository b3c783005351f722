// The review app's script: keyboard shortcuts (a approve, r reject, e edit, n / j next, p / k previous), and on the
// draft page the live side of editing: character and pixel counters, the search result preview, and the checks
// run by the app (POST /check) after each pause in typing.
// Kept in a file (not inline) so the Content-Security-Policy can forbid inline scripts. Text from the page and
// from the app is only ever set as textContent, never as markup.
(function () {
  "use strict";
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function follow(id) {
    var link = document.getElementById(id);
    if (link && link.href) { window.location.assign(link.href); return true; }
    return false;
  }
  function submit(id) {
    var form = document.getElementById(id);
    if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var done = false;
    switch (event.key) {
      case "a": done = submit("approve-form"); break;
      case "r": done = submit("reject-form"); break;
      case "e":
        var first = document.querySelector("#edit textarea");
        if (first) { first.scrollIntoView({block: "center"}); first.focus(); done = true; }
        break;
      case "n": case "j": done = follow("next") || follow("next-page"); break;
      case "p": case "k": done = follow("prev") || follow("prev-page"); break;
    }
    if (done) { event.preventDefault(); }
  });

  var edit = document.getElementById("edit");
  if (!edit) { return; }
  // Leaving a half-typed edit by a shortcut or link loses it; ask first.
  var dirty = false;
  edit.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) { if (dirty) { event.preventDefault(); } });

  // -- measuring as pipeline/core/pixels.py does (the table comes from the app as JSON) --------------------------
  var data = document.getElementById("seo-measure");
  var M = data ? JSON.parse(data.textContent) : null;
  var WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;
  var MARK = /\p{M}/u;
  function charWidth(ch) {
    var w = M.ascii[ch] || M.extra[ch];
    if (w) { return w; }
    var base = ch.normalize("NFD").charAt(0);
    if (base !== ch && M.ascii[base]) { return M.ascii[base]; }
    if (WIDE.test(ch)) { return M.wide; }
    if (MARK.test(ch)) { return 0; }
    return M.unknown;
  }
  function widthPx(text, fontPx) {
    var total = 0;
    for (var ch of text) { total += charWidth(ch); }
    return total * fontPx / 1000;
  }
  function squash(text) { return text.split(/\s+/).filter(Boolean).join(" "); }
  function cut(text, maxPx, fontPx) {
    text = squash(text);
    if (widthPx(text, fontPx) <= maxPx) { return text; }
    var room = maxPx - widthPx(M.ellipsis, fontPx), width = 0, chars = Array.from(text), end = 0;
    for (var i = 0; i < chars.length; i++) {
      width += charWidth(chars[i]) * fontPx / 1000;
      if (width > room) { break; }
      end = i + 1;
    }
    var shown = chars.slice(0, end).join("");
    var space = shown.lastIndexOf(" ");
    if (space > Math.floor(shown.length / 2)) { shown = shown.slice(0, space); }
    return shown.replace(/[ ,;:\u2013-]+$/, "") + M.ellipsis;
  }
  function stripHtml(markup) {
    var doc = new DOMParser().parseFromString(markup, "text/html");  // inert: nothing in it runs or loads
    return squash(doc.body ? doc.body.textContent || "" : "");
  }
  function value(name) {
    var box = edit.querySelector('[data-field="' + name + '"]');
    return box ? box.value : "";
  }
  var RULES = M && {
    title: {chars: M.limits.title_max_chars, px: M.limits.title_max_px, font: M.title_px, suffix: false},
    seo_title: {chars: M.limits.seo_title_max_chars, px: M.limits.seo_title_max_px, font: M.title_px, suffix: true},
    seo_description: {chars: M.limits.seo_description_max_chars, px: M.limits.seo_description_max_px,
                      font: M.description_px, min: M.limits.seo_description_min_chars}
  };
  var EMPTY = {title: "empty", seo_title: "empty: Google gets the product title",
               seo_description: "empty: Google picks a snippet"};
  function showCounter(name, chars, px) {
    var box = document.getElementById("count-" + name), rule = RULES[name];
    if (!box) { return; }
    var over = chars > rule.chars || px > rule.px, under = chars > 0 && rule.min && chars < rule.min;
    box.className = "counter " + (chars === 0 ? "empty" : over ? "over" : under ? "under" : "ok");
    box.querySelector(".counter-chars").textContent = chars + " / " + rule.chars + " characters";
    box.querySelector(".counter-px").textContent = Math.round(px) + " / " + Math.round(rule.px) + " px";
    box.querySelector(".counter-state").textContent = chars === 0 ? EMPTY[name] : over ? "cut off in Google" :
      under ? "under " + rule.min + " characters" : "fits";
  }
  function measure() {
    Object.keys(RULES).forEach(function (name) {
      var text = value(name), rule = RULES[name];
      var px = text ? widthPx(text + (rule.suffix ? M.suffix : ""), rule.font) : 0;
      showCounter(name, Array.from(text).length, px);
    });
    var serp = document.getElementById("serp-live");
    if (!serp) { return; }
    var heading = (value("seo_title") || value("title")).trim() + M.suffix;
    var description = value("seo_description").trim() || stripHtml(value("body_html")).slice(0, 320);
    serp.querySelector(".serp-title").textContent = cut(heading, M.limits.seo_title_max_px, M.title_px);
    serp.querySelector(".serp-desc").textContent = cut(description, M.limits.seo_description_max_px, M.description_px);
    serp.querySelector(".serp-path").textContent = "/products/" + (value("handle").trim() || serp.dataset.handle);
  }

  // -- the app's checks, after each pause in typing ------------------------------------------------------------
  var list = document.getElementById("live-check"), state = document.getElementById("live-state");
  var overrideBox = document.getElementById("override-box");
  var timer = null, sent = 0;
  function item(finding) {
    var li = document.createElement("li"), label = document.createElement("span");
    li.className = "reason" + (finding.blocking ? " blocking" : "");
    label.className = "reason-label";
    label.textContent = finding.label;
    li.appendChild(label);
    if (finding.blocking) {
      var badge = document.createElement("span");
      badge.className = "badge blocking";
      badge.textContent = "Blocks approval";
      li.appendChild(document.createTextNode(" "));
      li.appendChild(badge);
    }
    if (finding.where) {
      var where = document.createElement("span");
      where.className = "badge";
      where.textContent = finding.where;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(where);
    }
    var evidence = document.createElement("span");
    evidence.className = "reason-evidence";
    evidence.textContent = finding.evidence;
    li.appendChild(evidence);
    return li;
  }
  function check() {
    var mine = ++sent;
    state.textContent = "checking…";
    var body = new URLSearchParams(new FormData(edit));
    fetch("/check", {method: "POST", body: body, credentials: "same-origin",
                     headers: {"Content-Type": "application/x-www-form-urlencoded"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (answer) {
        if (mine !== sent) { return; }  // a newer check is under way
        list.replaceChildren.apply(list, answer.findings.map(item));
        Object.keys(answer.counters || {}).forEach(function (name) {
          var c = answer.counters[name];
          showCounter(name, c.chars, c.px);  // the app's own measure has the last word
        });
        var n = answer.blocking;
        state.textContent = answer.findings.length === 0 ? "no problems found" :
          n ? n + " blocking finding" + (n === 1 ? "" : "s") : answer.findings.length + " to look at, none blocking";
        overrideBox.classList.toggle("shown", n > 0);
        edit.dataset.blocking = String(n);
      })
      .catch(function (error) {
        if (mine === sent) { state.textContent = "could not check (" + error.message + "); saving checks again"; }
      });
  }
  edit.addEventListener("input", function (event) {
    dirty = true;
    if (event.target.name === "note" || event.target.name === "override") { return; }
    if (M) { measure(); }
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  });
  if (M) { measure(); }
})();
