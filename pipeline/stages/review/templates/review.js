// Keyboard shortcuts for the review app: a approve, r reject, e edit, n / j next, p / k previous.
// Kept in a file (not inline) so the Content-Security-Policy can forbid inline scripts.
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
  // Leaving a half-typed edit by a shortcut or link loses it; ask first.
  var edit = document.getElementById("edit");
  if (edit) {
    var dirty = false;
    edit.addEventListener("input", function () { dirty = true; });
    edit.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) { if (dirty) { event.preventDefault(); } });
  }
})();
