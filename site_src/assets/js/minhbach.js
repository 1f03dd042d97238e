/* Progressive enhancement: the static SVG and the data table work without this file.
   A reader who asks for the interactive chart gets the vendored Vega bundle (no CDN), loaded once. */
(function () {
  "use strict";
  var bundle = null;
  // Every word and the number format come from the page (the string catalogues, written by the build):
  // <meta name="mb-words" data-table data-search data-locale>, and each chart's data-loading / data-failed.
  var WORDS = document.querySelector('meta[name="mb-words"]');
  function word(name) { return (WORDS && WORDS.getAttribute("data-" + name)) || ""; }
  var LOCALE;
  try { LOCALE = JSON.parse(word("locale") || "null") || undefined; } catch (e) { LOCALE = undefined; }
  function loadBundle(src) {
    if (bundle) return bundle;
    bundle = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src; s.async = true;
      s.onload = function () { resolve(window.vegaEmbed); };
      s.onerror = function () { bundle = null; reject(new Error("bundle")); };
      document.head.appendChild(s);
    });
    return bundle;
  }
  function bundleUrl(fig) {
    var spec = fig.getAttribute("data-spec");
    return spec.replace(/assets\/charts\/[^/]+$/, "assets/vendor/vega-bundle.js");
  }
  function draw(fig, button) {
    var view = fig.querySelector(".mb-chart__view");
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    status.textContent = fig.getAttribute("data-loading") || "";
    button.after(status);
    button.disabled = true;
    Promise.all([loadBundle(bundleUrl(fig)), fetch(fig.getAttribute("data-spec")).then(function (r) { return r.json(); })])
      .then(function (res) {
        var embed = res[0], spec = res[1];
        var target = document.createElement("div");
        target.className = "mb-chart__interactive-view";
        return embed(target, spec, { renderer: "svg", actions: false, formatLocale: LOCALE }).then(function (r) {
          var svg = target.querySelector("svg");
          if (svg) { svg.setAttribute("role", "img"); svg.setAttribute("aria-label", fig.querySelector("img").alt); }
          view.replaceChildren(target);
          fig.setAttribute("data-drawn", "true");
          status.remove();
          button.classList.remove("mb-js-ready");
          return r;
        });
      })
      .catch(function () { status.textContent = fig.getAttribute("data-failed") || ""; button.disabled = false; });
  }
  function init() {
    document.querySelectorAll("figure.mb-chart[data-spec]").forEach(function (fig) {
      var button = fig.querySelector(".mb-chart__interactive");
      if (!button || button.dataset.bound) return;
      button.dataset.bound = "1";
      button.classList.add("mb-js-ready");
      button.addEventListener("click", function () { draw(fig, button); });
    });
    document.querySelectorAll(".mb-copy__button[data-copy]").forEach(function (button) {
      if (button.dataset.bound) return;
      button.dataset.bound = "1";
      button.classList.add("mb-js-ready");
      var label = button.textContent;
      button.addEventListener("click", function () {
        var box = document.getElementById(button.getAttribute("data-copy"));
        if (!box) return;
        var done = function () {
          button.textContent = button.getAttribute("data-done") || label;
          setTimeout(function () { button.textContent = label; }, 2000);
        };
        box.select();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(box.value).then(done, function () { if (document.execCommand("copy")) done(); });
        } else if (document.execCommand("copy")) { done(); }
      });
    });
    document.querySelectorAll("button.mb-print").forEach(function (button) {
      if (button.dataset.bound) return;
      button.dataset.bound = "1";
      button.classList.add("mb-js-ready");
      button.addEventListener("click", function () { window.print(); });
    });
    labelSearch();
    focusableScrollers();
  }
  function labelSearch() {
    var search = document.querySelector(".md-search");
    if (search && !search.getAttribute("aria-label") && word("search")) {
      search.setAttribute("aria-label", word("search"));
    }
  }
  // Material wraps plain tables in .md-typeset__scrollwrap, and charts scroll on phones; when one scrolls
  // sideways a keyboard reader must be able to focus it to scroll it (WCAG 2.1.1; axe scrollable-region-focusable).
  function focusableScrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap, .mb-chart__view").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var table = wrap.querySelector("table");
        var title = wrap.closest("figure") && wrap.closest("figure").querySelector(".mb-sr-only");
        var cap = table && table.caption ? table.caption.textContent.trim() : title ? title.textContent.trim() : "";
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", cap || word("table"));
        wrap.dataset.mbScroll = "1";
      } else if (!scrolls && wrap.dataset.mbScroll) {
        wrap.removeAttribute("tabindex"); wrap.removeAttribute("role"); wrap.removeAttribute("aria-label");
        delete wrap.dataset.mbScroll;
      }
    });
  }
  labelSearch();
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(focusableScrollers, 150);
  });
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState !== "loading") { init(); } else { document.addEventListener("DOMContentLoaded", init); }
})();
