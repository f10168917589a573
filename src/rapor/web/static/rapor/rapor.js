// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // (i) tooltips: tap or click toggles, Escape closes (hover and focus work through CSS).
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".info");
    document.querySelectorAll(".info[aria-expanded='true']").forEach(function (open) {
      if (open !== button) open.setAttribute("aria-expanded", "false");
    });
    if (button) {
      var expanded = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", expanded ? "false" : "true");
      button.classList.toggle("dismissed", expanded);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".info").forEach(function (button) {
      button.setAttribute("aria-expanded", "false");
      button.classList.add("dismissed");
    });
  });
  document.addEventListener("focusout", function (event) {
    if (event.target.classList && event.target.classList.contains("info")) {
      event.target.classList.remove("dismissed");
    }
  });

  // Comparison charts: the numbers are in the table; the chart draws them with ECharts (about
  // 370 KB gzipped), loaded only when a chart comes within a screen of the viewport, so a phone
  // that never scrolls down to it never downloads it.
  var echartsQueue = null;
  function withEcharts(src, then) {
    if (window.echarts) { then(); return; }
    if (echartsQueue) { echartsQueue.push(then); return; }
    echartsQueue = [then];
    var script = document.createElement("script");
    script.src = src;
    script.onload = function () {
      var queued = echartsQueue;
      echartsQueue = null;
      queued.forEach(function (callback) { callback(); });
    };
    script.onerror = function () { echartsQueue = null; };
    document.head.appendChild(script);
  }
  // Runs `then` once the element comes within a screen below the viewport.
  function whenNear(element, then) {
    if (window.echarts || !("IntersectionObserver" in window)) { then(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      observer.disconnect();
      then();
    }, { rootMargin: "0px 0px 100% 0px" });
    observer.observe(element);
  }
  function drawCharts(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      whenNear(element, function () { withEcharts(element.dataset.echarts, function () { drawChart(element); }); });
    });
    // Maps: the boundaries (a static GeoJSON file) load beside ECharts. The map's table holds each
    // region's value, label, colour and link: the map repeats what the table says.
    root.querySelectorAll("[data-map]").forEach(function (element) {
      element.hidden = false;
      whenNear(element, function () {
        var boundaries = fetch(element.dataset.map).then(function (response) { return response.json(); });
        withEcharts(element.dataset.echarts, function () {
          boundaries.then(function (geo) { drawMap(element, geo); });
        });
      });
    });
  }
  // A chart's rows come from the JSON beside it: the same numbers as the table it repeats.
  function drawChart(element) {
    if (!element.isConnected || echarts.getInstanceByDom(element)) return;
    var source = document.getElementById(element.dataset.source);
    if (!source) return;
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(CHART_OPTIONS[element.dataset.chart](JSON.parse(source.textContent)));
    window.addEventListener("resize", function () { if (element.isConnected) chart.resize(); });
  }
  // Numbers as the tables beside the charts write them, in the page's language: 42,11 on an
  // Indonesian page, 42.11 on an English one; axis ticks without trailing zeros.
  var LANGUAGE = document.documentElement.lang || undefined;
  var TWO_PLACES = new Intl.NumberFormat(LANGUAGE, { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false });
  var AXIS_NUMBER = new Intl.NumberFormat(LANGUAGE, { maximumFractionDigits: 2 });
  function twoPlaces(value) { return value === null || value === undefined ? "-" : TWO_PLACES.format(value); }
  function twoDecimals(p) { return twoPlaces(p.value); }
  var CHART_OPTIONS = {
    // Comparisons: one bar per comparison, and across it the 95 % interval of a sampled value
    // (the table's "Rentang 95%"), so that bars whose intervals overlap do not read as different.
    bar: function (rows) {
      var sampled = hasIntervals(rows);
      // The values go inside their bars' start where a whisker crosses their end, on a dark
      // patch of their own, readable past the end of a bar too short to hold them (a value of 0).
      var label = sampled
        ? { show: true, position: "insideLeft", color: "#fff", backgroundColor: "rgba(16, 24, 40, 0.8)", padding: [3, 5], borderRadius: 2, formatter: twoDecimals }
        : { show: true, position: "right", formatter: twoDecimals };
      var series = [{ type: "bar", data: rows.map(function (r) { return r.value; }), label: label }];
      if (sampled) series.push(intervalSeries(rows, "x"));
      return {
        animation: false,
        grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", axisLabel: { formatter: AXIS_NUMBER.format } },
        yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) },
        series: series,
        tooltip: { trigger: "axis", valueFormatter: twoPlaces }
      };
    },
    // An indicator over the release's years; a year without a value leaves a gap rather than a
    // line drawn through it, and a sampled value has its 95 % interval across it (the table's
    // "Rentang 95%"), so that a change within sampling error does not read as a rise or a fall.
    // The server sets the vertical axis, so that a small change looks small and the intervals fit.
    line: function (chart) {
      var rows = chart.rows;
      var sampled = hasIntervals(rows);
      // Beside the point where a whisker runs through it, above it otherwise; on a patch of its
      // own, so that the line running on from the point does not cross it out.
      var label = { show: true, position: sampled ? "right" : "top", distance: 10, backgroundColor: "rgba(255, 255, 255, 0.9)", padding: [2, 3], formatter: twoDecimals };
      var series = [{ type: "line", connectNulls: false, symbolSize: 8, data: rows.map(function (r) { return r.value; }), label: label }];
      if (sampled) series.push(intervalSeries(rows, "y"));
      return {
        animation: false,
        grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: rows.map(function (r) { return String(r.year); }) },
        yAxis: { type: "value", scale: true, min: chart.min, max: chart.max, interval: chart.step, axisLabel: { formatter: AXIS_NUMBER.format } },
        series: series,
        tooltip: { trigger: "axis", valueFormatter: twoPlaces }
      };
    }
  };
  // Whether any row is a sampled value, with an interval to draw.
  function hasIntervals(rows) {
    return rows.some(function (r) { return r.lower !== null && r.lower !== undefined; });
  }
  // Whiskers from each row's lower to upper bound (a row without bounds draws nothing), with a
  // cap at either end, along the axis of the values: "x" for bars lying down, "y" for a line.
  // Its data are [category index, lower, upper].
  function intervalSeries(rows, valuesOn) {
    var across = valuesOn === "x" ? "y" : "x";
    var encode = {};
    encode[across] = 0;
    encode[valuesOn] = [1, 2];
    return {
      type: "custom",
      data: rows.map(function (r, index) { return [index, r.lower, r.upper]; }),
      encode: encode,
      tooltip: { show: false },
      silent: true,
      z: 3,
      renderItem: function (params, api) {
        var lower = api.value(1), upper = api.value(2), category = api.value(0);
        if (isNaN(lower) || isNaN(upper)) return null;
        var at = function (value) { return api.coord(valuesOn === "x" ? [value, category] : [category, value]); };
        var start = at(lower), end = at(upper);
        var style = { stroke: "#101828", lineWidth: 1.5 };
        var line = function (x1, y1, x2, y2) { return { type: "line", shape: { x1: x1, y1: y1, x2: x2, y2: y2 }, style: style }; };
        // The caps: a fifth of a bar's height, or a tenth of a year's width (at most 8 px).
        var cap = valuesOn === "x" ? api.size([0, 1])[1] * 0.2 : Math.min(api.size([1, 0])[0] * 0.1, 8);
        var capAt = valuesOn === "x"
          ? function (point) { return line(point[0], point[1] - cap, point[0], point[1] + cap); }
          : function (point) { return line(point[0] - cap, point[1], point[0] + cap, point[1]); };
        return { type: "group", children: [line(start[0], start[1], end[0], end[1]), capAt(start), capAt(end)] };
      }
    };
  }
  var NO_DATA_COLOUR = "#667085";
  function drawMap(element, geo) {
    if (!element.isConnected || echarts.getInstanceByDom(element)) return;
    var table = document.getElementById(element.dataset.table);
    var rows = {};
    table.querySelectorAll("tbody tr[data-code]").forEach(function (row) { rows[row.dataset.code] = row; });
    echarts.registerMap(element.dataset.map, geo);
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (params) { return tooltipOf(rows[params.name]); } },
      series: [{
        type: "map",
        map: element.dataset.map,
        nameProperty: "code",
        selectedMode: false,
        label: { show: false },
        itemStyle: { areaColor: NO_DATA_COLOUR, borderColor: "#fff", borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { borderColor: "#101828", borderWidth: 2 } },
        data: Object.keys(rows).map(function (code) {
          var colour = rows[code].dataset.colour;
          // The page's own region (a kab/kota among its neighbours) is outlined.
          var current = rows[code].classList.contains("current");
          var outline = current ? { borderColor: "#101828", borderWidth: 2 } : {};
          return {
            name: code,
            itemStyle: Object.assign({ areaColor: colour }, outline),
            emphasis: { itemStyle: { areaColor: colour } },
            cursor: rows[code].querySelector("a") ? "pointer" : "default"
          };
        })
      }]
    });
    // A click opens the region, as its link in the table does (only regions in scope have one).
    chart.on("click", function (params) {
      var link = rows[params.name] && rows[params.name].querySelector("a");
      if (link) link.click();
    });
    // Pointing at or focusing a row of the table shows that region on the map.
    function show(event) {
      var row = event.target.closest && event.target.closest("tr[data-code]");
      if (!row) return;
      chart.dispatchAction({ type: "highlight", seriesIndex: 0, name: row.dataset.code });
      chart.dispatchAction({ type: "showTip", seriesIndex: 0, name: row.dataset.code });
    }
    function hide(event) {
      var row = event.target.closest && event.target.closest("tr[data-code]");
      if (!row) return;
      chart.dispatchAction({ type: "downplay", seriesIndex: 0, name: row.dataset.code });
      chart.dispatchAction({ type: "hideTip" });
    }
    table.addEventListener("focusin", show);
    table.addEventListener("focusout", hide);
    table.addEventListener("mouseover", show);
    table.addEventListener("mouseout", hide);
    window.addEventListener("resize", function () { if (element.isConnected) chart.resize(); });
  }
  function tooltipOf(row) {
    if (!row) return "";
    var cells = Array.prototype.map.call(row.querySelectorAll("th, td"), function (cell) {
      return echarts.format.encodeHTML(cell.textContent.trim());
    });
    return "<strong>" + cells[0] + "</strong><br>" + cells.slice(1).filter(Boolean).join(" · ");
  }
  // Beri Saran dialog: htmx puts <dialog open> into #dialog; make it modal (focus stays inside,
  // Escape closes it), and empty #dialog when it closes so the next open starts fresh.
  function upgradeDialog(root) {
    var dialog = root.querySelector && root.querySelector("#dialog dialog[open]");
    if (!dialog && root.matches && root.matches("#dialog")) dialog = root.querySelector("dialog[open]");
    if (!dialog || !dialog.showModal) return;
    dialog.close();
    dialog.showModal();
    dialog.addEventListener("close", function () {
      if (dialog.open) return; // the close() above, reported after showModal() reopened it
      var holder = document.getElementById("dialog");
      if (holder && holder.contains(dialog)) holder.innerHTML = "";
    });
    var first = dialog.querySelector("[aria-invalid='true'], input:not([tabindex='-1']):not([type='hidden']), textarea, a");
    if (first) first.focus();
  }
  document.addEventListener("click", function (event) {
    var closer = event.target.closest("[data-close-dialog]");
    if (!closer) return;
    var dialog = closer.closest("dialog");
    if (dialog) { event.preventDefault(); dialog.close(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var dialog = document.querySelector("#dialog dialog[open]");
    if (dialog) dialog.close();
  });

  // Errors: rapor.web.errors retargets the error page of an htmx request to #main. htmx does not
  // swap 4xx/5xx by default; swap those (closing an open dialog, which the page replaces) and
  // leave any other error response alone.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400 || !xhr.getResponseHeader("HX-Retarget")) return;
    event.detail.shouldSwap = true;
    var dialog = document.querySelector("#dialog dialog[open]");
    if (dialog) dialog.close();
  });

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { upgradeDialog(event.target); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();
