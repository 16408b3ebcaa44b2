/* Attendance list: show how many are ticked, and offer "everyone present".
   The list works without this script; it only adds the live count. */
(function () {
  "use strict";
  function update(form) {
    var boxes = form.querySelectorAll('input[name="present"]');
    var ticked = form.querySelectorAll('input[name="present"]:checked').length;
    var out = form.querySelector("[data-count]");
    if (out) { out.textContent = out.dataset.template.replace("{n}", ticked).replace("{total}", boxes.length); }
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-attendance]");
    if (form) { update(form); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-tick-all]");
    if (!button) { return; }
    var form = button.closest("form[data-attendance]");
    form.querySelectorAll('input[name="present"]').forEach(function (box) { box.checked = true; });
    update(form);
  });
  function init() {
    document.querySelectorAll("form[data-attendance]").forEach(function (form) {
      var button = form.querySelector("[data-tick-all]");
      if (button) { button.hidden = false; }
      update(form);
    });
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
