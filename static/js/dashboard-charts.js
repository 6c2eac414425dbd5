/* Baotou Carbon: the manager dashboard's charts, drawn with the vendored Apache ECharts from
 * the summary payload the page carries as JSON (Django's json_script):
 *
 *   <script type="application/json" id="dashboard-summary">{...}</script>
 *
 * Each chart is drawn into the element of its id, when the page has it:
 *
 *   #chart-measures     savings (yuan) per measure            payload.measures
 *   #chart-enterprises  top enterprises, horizontal (yuan)    payload.by_enterprise
 *   #chart-assistance   on-site and remote per month, stacked payload.assistance_by_month
 *   #chart-shortfall    enterprises per shortfall bucket      payload.shortfall_distribution
 *   #chart-districts    savings (yuan) per district           payload.by_district
 *   #chart-industries   savings (yuan) per industry           payload.by_industry
 *
 * The template words each chart through data-* attributes on its element (so they are
 * translated there): data-title (the chart's name, for its text alternative), data-value-name
 * (the value axis and series), data-category-name (the category axis, optional),
 * data-onsite-name and data-remote-name (the assistance chart's two series), data-empty (what
 * to say when there is nothing to draw).
 *
 * Clicking a bar whose item has a "url" opens it (the drill-down). Every chart element gets
 * role="img" and an aria-label listing its data; an empty list (or one with nothing above
 * zero) shows the data-empty text instead. Charts follow the window's size. No inline script
 * and no eval: it runs under a strict Content-Security-Policy.
 */
(function () {
  "use strict";

  var SPECS = [
    { id: "chart-measures", list: "measures", kind: "bar", value: "yuan", money: true },
    { id: "chart-enterprises", list: "by_enterprise", kind: "hbar", value: "yuan", label: "name", money: true },
    { id: "chart-assistance", list: "assistance_by_month", kind: "months" },
    { id: "chart-shortfall", list: "shortfall_distribution", kind: "bar", value: "count" },
    { id: "chart-districts", list: "by_district", kind: "bar", value: "yuan", money: true },
    { id: "chart-industries", list: "by_industry", kind: "bar", value: "yuan", money: true },
  ];
  var PALETTE = ["#198754", "#0d6efd", "#fd7e14", "#6f42c1", "#20c997", "#d63384"];
  var charts = [];

  function language() {
    return document.documentElement.lang || "zh-CN";
  }

  function formatter(options) {
    var format = new Intl.NumberFormat(language(), options);
    return function (value) {
      return format.format(Number(value) || 0);
    };
  }

  var money = formatter({ minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var count = formatter({ maximumFractionDigits: 0 });
  var compact = formatter({ notation: "compact", maximumFractionDigits: 1 });

  function readPayload() {
    var script = document.getElementById("dashboard-summary");
    if (!script) return null;
    try {
      return JSON.parse(script.textContent);
    } catch (error) {
      return null;
    }
  }

  function number(value) {
    var parsed = Number(value);
    return isFinite(parsed) ? parsed : 0;
  }

  function showEmpty(element) {
    element.textContent = element.getAttribute("data-empty") || "";
    element.classList.add("chart-empty");
    element.removeAttribute("role");
    element.removeAttribute("aria-label");
    element.setAttribute("data-chart-state", "empty");
  }

  function describe(element, parts) {
    var title = element.getAttribute("data-title") || "";
    element.setAttribute("role", "img");
    element.setAttribute("aria-label", (title ? title + ": " : "") + parts.join("; "));
  }

  function ensureHeight(element, pixels) {
    if (element.clientHeight < 80) element.style.height = pixels + "px";
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function base(element) {
    return {
      color: PALETTE,
      animation: !reducedMotion(),
      grid: { left: 8, right: 24, top: 36, bottom: 16, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      aria: { enabled: false }, // the element's own aria-label says more
      textStyle: { fontFamily: "inherit" },
      title: { show: false, text: element.getAttribute("data-title") || "" },
    };
  }

  function barOption(element, spec, items) {
    var values = items.map(function (item) { return number(item[spec.value]); });
    var labels = items.map(function (item) { return String(item[spec.label || "label"] || ""); });
    var format = spec.money ? money : count;
    var linked = items.some(function (item) { return item.url; });
    var horizontal = spec.kind === "hbar";
    var categoryAxis = {
      type: "category",
      data: labels,
      name: element.getAttribute("data-category-name") || "",
      inverse: horizontal, // the largest first, at the top
      axisTick: { alignWithLabel: true },
      axisLabel: horizontal
        ? { width: 180, overflow: "truncate" }
        : { interval: 0, width: 90, overflow: "break" },
    };
    var valueAxis = {
      type: "value",
      name: element.getAttribute("data-value-name") || "",
      nameLocation: horizontal ? "middle" : "end",
      nameGap: horizontal ? 28 : 15,
      axisLabel: { formatter: spec.money ? compact : count },
      minInterval: spec.money ? 0 : 1,
    };
    var option = base(element);
    option.tooltip.valueFormatter = format;
    if (horizontal) option.grid.right = 96; // room for the value after the longest bar
    option.xAxis = horizontal ? valueAxis : categoryAxis;
    option.yAxis = horizontal ? categoryAxis : valueAxis;
    option.series = [{
      type: "bar",
      name: valueAxis.name,
      data: values,
      colorBy: horizontal ? "series" : "data",
      cursor: linked ? "pointer" : "default",
      barMaxWidth: 56,
      label: { show: true, position: horizontal ? "right" : "top", formatter: function (p) { return format(p.value); } },
    }];
    describe(element, labels.map(function (label, i) { return label + " " + format(values[i]); }));
    return option;
  }

  function monthsOption(element, items) {
    var months = items.map(function (item) { return String(item.month); });
    var names = {
      onsite: element.getAttribute("data-onsite-name") || "onsite",
      remote: element.getAttribute("data-remote-name") || "remote",
    };
    var option = base(element);
    option.tooltip.valueFormatter = count;
    option.legend = { top: 0, data: [names.onsite, names.remote] };
    option.xAxis = { type: "category", data: months, name: element.getAttribute("data-category-name") || "" };
    option.yAxis = { type: "value", minInterval: 1, name: element.getAttribute("data-value-name") || "" };
    option.series = ["onsite", "remote"].map(function (key) {
      return {
        type: "bar",
        name: names[key],
        stack: "sessions",
        emphasis: { focus: "series" },
        data: items.map(function (item) { return number(item[key]); }),
      };
    });
    describe(element, items.map(function (item) {
      return item.month + " " + names.onsite + " " + count(item.onsite) + ", " + names.remote + " " + count(item.remote);
    }));
    return option;
  }

  function drawable(spec, items) {
    return items.some(function (item) {
      return spec.kind === "months"
        ? number(item.onsite) > 0 || number(item.remote) > 0
        : number(item[spec.value]) > 0;
    });
  }

  function draw(spec, payload) {
    var element = document.getElementById(spec.id);
    if (!element) return;
    var items = (payload && payload[spec.list]) || [];
    if (!items.length || !drawable(spec, items)) {
      showEmpty(element);
      return;
    }
    ensureHeight(element, spec.kind === "hbar" ? 60 + 32 * items.length : 320);
    var chart = window.echarts.init(element, null, {
      renderer: "canvas",
      locale: language().toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN",
    });
    chart.setOption(spec.kind === "months" ? monthsOption(element, items) : barOption(element, spec, items));
    chart.on("click", function (params) {
      var item = items[params.dataIndex];
      if (item && item.url) window.location.assign(item.url);
    });
    element.setAttribute("data-chart-state", "drawn");
    charts.push(chart);
  }

  var pending = false;
  function resizeAll() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  function start() {
    if (!window.echarts) return;
    var payload = readPayload();
    if (!payload) return;
    SPECS.forEach(function (spec) { draw(spec, payload); });
    window.addEventListener("resize", resizeAll);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
