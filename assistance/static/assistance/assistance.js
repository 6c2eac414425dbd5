// Assistance forms: filter a long checkbox list by a text box, count the ticked boxes, and
// offer only the ticked enterprises as the owner of a follow-up. No library needed.
(function () {
  "use strict";
  function setUpFilter(box) {
    var list = document.getElementById(box.dataset.filterTarget);
    var counter = document.getElementById(box.dataset.filterCounter);
    if (!list) { return; }
    function count() {
      if (counter) { counter.textContent = list.querySelectorAll("input:checked").length; }
    }
    box.addEventListener("input", function () {
      var term = box.value.trim().toLowerCase();
      list.querySelectorAll(".form-check").forEach(function (item) {
        var text = item.textContent.toLowerCase();
        item.hidden = term !== "" && text.indexOf(term) === -1 && !item.querySelector("input:checked");
      });
    });
    list.addEventListener("change", function () { count(); limitOwners(list); });
    count();
    limitOwners(list);
  }
  function limitOwners(list) {
    if (list.id !== "enterprise-choices") { return; }
    var ticked = {};
    list.querySelectorAll("input:checked").forEach(function (input) { ticked[input.value] = true; });
    var any = Object.keys(ticked).length > 0;
    document.querySelectorAll("select[data-owner-select]").forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        if (option.value === "") { return; }
        option.hidden = any && !ticked[option.value];
        if (option.hidden && option.selected) { select.value = ""; }
      });
    });
  }
  document.querySelectorAll("input[data-filter-target]").forEach(setUpFilter);
  // "Add another follow-up": a copy of the formset's empty form, numbered in turn.
  document.querySelectorAll("button[data-add-follow-up]").forEach(function (button) {
    var prefix = button.dataset.addFollowUp;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById("follow-up-template");
    var rows = document.getElementById("follow-up-rows");
    if (!total || !template || !rows) { return; }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
      total.value = index + 1;
      var list = document.getElementById("enterprise-choices");
      if (list) { limitOwners(list); }
      rows.lastElementChild.querySelector("textarea, input").focus();
    });
  });
})();
