// parkdesk's page script: no build step, no inline script (the CSP forbids
// it). It draws the charts a page describes in data-chart attributes, and
// draws them again in content htmx swaps in.
(function () {
  "use strict";

  var palette = ["#0b4f9c", "#2e9d5b", "#e39b1b", "#c2452d", "#6a4fb3", "#1f8fa8", "#8c6d3f", "#d45d96", "#5b6676", "#99b33d"];

  // esc makes text safe inside HTML: a tooltip's formatter returns HTML,
  // and the names in it (policies, industries, enterprises) are data that
  // someone typed.
  var entities = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"};
  function esc(v) {
    return String(v == null ? "" : v).replace(/[&<>"']/g, function (c) { return entities[c]; });
  }

  // spec: {kind: "bar"|"hbar"|"pie", categories: [...], series: [{name, data: [...], labels: [...]}]}
  // labels are the values as the page writes them (万元, ¥…M), for tooltips.
  function option(spec) {
    var tooltip = {
      trigger: spec.kind === "pie" ? "item" : "axis",
      confine: true,
      formatter: function (params) {
        var list = Array.isArray(params) ? params : [params];
        var head = list.length ? esc(list[0].name) : "";
        var lines = list.map(function (p) {
          var s = spec.series[p.seriesIndex] || {};
          var text = s.labels && s.labels[p.dataIndex] != null ? s.labels[p.dataIndex] : p.value;
          // p.marker is ECharts' own HTML (the colour dot).
          return p.marker + (spec.series.length > 1 ? esc(s.name) + ": " : "") + esc(text);
        });
        return [head].concat(lines).join("<br>");
      }
    };
    if (spec.kind === "pie") {
      var s = spec.series[0];
      return {
        color: palette, tooltip: tooltip,
        legend: {type: "scroll", bottom: 0},
        series: [{type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], avoidLabelOverlap: true,
          label: {formatter: "{b}\n{d}%"},
          data: spec.categories.map(function (c, i) { return {name: c, value: s.data[i]}; })}]
      };
    }
    var horizontal = spec.kind === "hbar";
    var cat = {type: "category", data: spec.categories, axisLabel: {interval: 0, width: horizontal ? 140 : 90, overflow: "truncate", rotate: horizontal || spec.categories.length < 6 ? 0 : 30}};
    var val = {type: "value", axisLabel: {formatter: spec.axis === "money" ? compact : undefined}};
    return {
      color: palette, tooltip: tooltip,
      legend: spec.series.length > 1 ? {top: 0} : undefined,
      grid: {left: 8, right: 16, top: spec.series.length > 1 ? 32 : 12, bottom: 8, containLabel: true},
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? cat : val,
      series: spec.series.map(function (s) {
        return {type: "bar", name: s.name, data: s.data, stack: spec.stacked ? "all" : undefined, barMaxWidth: 36};
      })
    };
  }

  // compact writes axis ticks short, as each language does: 120万, 1.2M.
  function compact(v) {
    var a = Math.abs(v);
    if (zh()) {
      if (a >= 1e8) return trim(v / 1e8) + "亿";
      if (a >= 1e4) return trim(v / 1e4) + "万";
      return String(v);
    }
    if (a >= 1e9) return trim(v / 1e9) + "B";
    if (a >= 1e6) return trim(v / 1e6) + "M";
    if (a >= 1e3) return trim(v / 1e3) + "k";
    return String(v);
  }

  function trim(x) { return x.toFixed(1).replace(/\.0$/, ""); }

  function zh() { return document.documentElement.lang.indexOf("zh") === 0; }

  var charts = [];

  function drawCharts(root) {
    if (typeof echarts === "undefined") return;
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var spec;
      try { spec = JSON.parse(el.dataset.chart); } catch (e) { return; }
      el.dataset.drawn = "1";
      var chart = echarts.init(el, null, {renderer: "canvas"});
      chart.setOption(option(spec));
      charts.push(chart);
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // The menu folds away on narrow screens behind its button; without
  // script it stays open (the CSS folds it only under html.js).
  function menu() {
    var toggle = document.querySelector(".menu-toggle");
    var top = document.querySelector(".top");
    if (!toggle || !top) return;
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      top.classList.toggle("open", open);
    });
  }

  // Technical ids (field codes, policy ids, rule versions) are marked
  // class="tech" and hidden; staff who need them turn them on, and the
  // choice is remembered on this browser.
  function techToggle() {
    var button = document.querySelector(".tech-toggle");
    if (!button) return;
    var root = document.documentElement;
    var set = function (on) {
      root.classList.toggle("show-tech", on);
      button.setAttribute("aria-pressed", String(on));
      button.textContent = on ? button.dataset.hide : button.dataset.show;
    };
    var stored = false;
    try { stored = localStorage.getItem("parkdesk.tech") === "1"; } catch (e) { /* storage off */ }
    set(stored);
    button.hidden = false;
    button.addEventListener("click", function () {
      var on = !root.classList.contains("show-tech");
      set(on);
      try { localStorage.setItem("parkdesk.tech", on ? "1" : "0"); } catch (e) { /* storage off */ }
    });
  }

  document.documentElement.classList.add("js");

  ready(function () {
    menu();
    techToggle();
    drawCharts(document);
    document.body.addEventListener("htmx:afterSettle", function (e) { drawCharts(e.target); });
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
    // A file input names the file chosen next to it, for screen readers too.
    document.querySelectorAll("input[type=file][data-shows]").forEach(function (input) {
      input.addEventListener("change", function () {
        var out = document.getElementById(input.dataset.shows);
        if (out) out.textContent = Array.prototype.map.call(input.files, function (f) { return f.name; }).join(", ");
      });
    });
  });
})();
