/* Baotou Carbon: small progressive enhancements; no inline scripts (CSP-friendly). */
(function () {
  "use strict";

  // Open the tab named in the URL fragment (#contacts…) and keep the fragment in step.
  function showTabFromHash() {
    if (!window.location.hash || !window.bootstrap) return;
    var button = document.querySelector(
      '[data-bs-toggle="tab"][data-bs-target="' + window.location.hash + '"]'
    );
    if (button) window.bootstrap.Tab.getOrCreateInstance(button).show();
  }
  document.addEventListener("DOMContentLoaded", showTabFromHash);
  window.addEventListener("hashchange", showTabFromHash);
  document.addEventListener("shown.bs.tab", function (event) {
    var target = event.target.getAttribute("data-bs-target");
    if (target && history.replaceState) history.replaceState(null, "", target);
  });

  // On a phone, unused list filters start folded so the rows show first.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia("(max-width: 767.98px)").matches) {
      document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (el) {
        el.open = false;
      });
    }
  });

  // Forms that destroy something ask first: <form data-confirm="Really?">.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
