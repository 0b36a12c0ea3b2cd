/* IP Alliance Exchange: progressive enhancement only. Every form works without this file. */
(function () {
  "use strict";

  /* Show or hide a block depending on a checkbox:
       data-show-when="checkbox-id"  shown only while the checkbox is ticked
       data-hide-when="checkbox-id"  hidden while the checkbox is ticked */
  function bindToggle(el, attr, showWhenChecked) {
    var box = document.getElementById(el.getAttribute(attr));
    if (!box) {
      return;
    }
    function update() {
      var visible = showWhenChecked ? box.checked : !box.checked;
      el.classList.toggle("d-none", !visible);
    }
    box.addEventListener("change", update);
    update();
  }

  /* Ask before a destructive POST: <form data-confirm="Really?"> */
  function bindConfirm(form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  }

  /* A copy button for read-only fields: <button data-copy-target="#id" class="d-none"> */
  function bindCopy(button) {
    var target = document.querySelector(button.getAttribute("data-copy-target"));
    if (!target || !navigator.clipboard) {
      return;
    }
    var original = button.textContent;
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.value || target.textContent).then(function () {
        button.textContent = button.getAttribute("data-copied-text") || original;
        window.setTimeout(function () {
          button.textContent = original;
        }, 2000);
      });
    });
  }

  /* On a phone, a table of four columns or more is stacked (one block per row, each value under
     its header's name: see .table-stack in app.css) instead of squeezing titles to a character a line. */
  function stackTable(table) {
    var heads = [];
    table.querySelectorAll("thead tr:first-child > th").forEach(function (th) {
      for (var n = 0; n < (th.colSpan || 1); n++) {
        heads.push(th.textContent.trim());
      }
    });
    if (heads.length < 4) {
      return;
    }
    var colon = (document.documentElement.lang || "").indexOf("zh") === 0 ? "：" : ": ";
    table.classList.add("table-stack");
    table.querySelectorAll("tbody > tr").forEach(function (tr) {
      var column = 0;
      Array.prototype.forEach.call(tr.children, function (cell) {
        var head = heads[column];
        if (head && (cell.colSpan || 1) === 1) {
          cell.setAttribute("data-label", head + colon);
        }
        column += cell.colSpan || 1;
      });
    });
  }

  /* The listing form's patent picker: a filter box over the checkboxes, the title taken from the
     first patent ticked while the title is empty, a warning while a ticked patent is not in force. */
  function bindPicker(input) {
    var list = document.getElementById(input.getAttribute("data-picker-filter"));
    if (!list) {
      return;
    }
    var options = list.querySelectorAll(".patent-option");
    var empty = list.querySelector("[data-picker-empty]");
    var title = document.getElementById(list.getAttribute("data-title-target"));
    var warning = document.getElementById(list.getAttribute("data-warning"));
    input.classList.remove("d-none");
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (option) {
        var text = option.getAttribute("data-search").toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        option.classList.toggle("d-none", !match);
        shown += match ? 1 : 0;
      });
      if (empty) {
        empty.classList.toggle("d-none", shown > 0);
      }
    });
    function update(event) {
      var box = event && event.target;
      if (box && box.checked && title && !title.value.trim()) {
        title.value = box.getAttribute("data-title");
      }
      if (warning) {
        warning.classList.toggle("d-none", !list.querySelector("input:checked[data-not-in-force]"));
      }
    }
    list.addEventListener("change", update);
    update();
  }

  function init() {
    document.querySelectorAll("[data-picker-filter]").forEach(bindPicker);
    document.querySelectorAll("main table.table").forEach(stackTable);
    document.querySelectorAll("[data-show-when]").forEach(function (el) {
      bindToggle(el, "data-show-when", true);
    });
    document.querySelectorAll("[data-hide-when]").forEach(function (el) {
      bindToggle(el, "data-hide-when", false);
    });
    document.querySelectorAll("form[data-confirm]").forEach(bindConfirm);
    document.querySelectorAll("[data-copy-target]").forEach(bindCopy);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
