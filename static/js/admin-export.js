// The admin's band export: "Select all" ticks or clears every column of its sheet, and shows
// whether all, some or none are ticked. (The package's inline onchange is blocked by the
// content security policy, so its template is overridden without it.)
(function () {
  "use strict";

  function columnsOf(toggle) {
    var row = toggle.closest("[resource-index]");
    var index = row ? row.getAttribute("resource-index") : null;
    var rows = document.querySelectorAll(
      index === null ? ".selectable-field-export-row" : '[resource-index="' + index + '"]'
    );
    var boxes = [];
    rows.forEach(function (each) {
      each.querySelectorAll('input[type="checkbox"]:not(.select-toggle)').forEach(function (box) {
        boxes.push(box);
      });
    });
    return boxes;
  }

  function showState(toggle, boxes) {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    toggle.checked = ticked === boxes.length;
    toggle.indeterminate = ticked > 0 && ticked < boxes.length;
  }

  function wire(toggle) {
    var boxes = columnsOf(toggle);
    toggle.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = toggle.checked; });
      toggle.indeterminate = false;
    });
    boxes.forEach(function (box) {
      box.addEventListener("change", function () { showState(toggle, boxes); });
    });
    showState(toggle, boxes);
  }

  function start() {
    document.querySelectorAll("input.select-toggle").forEach(wire);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
