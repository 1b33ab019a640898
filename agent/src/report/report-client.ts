/**
 * The script report.html runs (plain ES5, no imports: it is inlined after uPlot). Per target, two uPlot
 * charts read from the page's JSON: demand against each policy's ready capacity, and the replicas each
 * policy asked for with the "why" marks (where a protection or calendar rule set the agent's count).
 * Hover: a tooltip with every shown series' value at that minute; drag: zoom (both charts follow);
 * double-click: the whole range; click a legend entry: hide or show that policy. Nothing is fetched.
 * The charts are kept on window.wedsyncReport for tests and for anyone curious in the console.
 */
export const REPORT_SCRIPT = String.raw`(function () {
  'use strict';
  var all = [];
  window.wedsyncReport = { charts: all };
  function fmtTime(s) { return new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ') + 'Z'; }
  function fmtNum(v) { return v == null || !isFinite(v) ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 1 }); }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }

  // Wedding and no-data bands behind the lines.
  function bands(d) {
    return { hooks: { drawClear: [function (u) {
      var ctx = u.ctx, b = u.bbox;
      function band(from, to, fill) {
        var x0 = Math.max(b.left, u.valToPos(from, 'x', true)), x1 = Math.min(b.left + b.width, u.valToPos(to, 'x', true));
        if (x1 > x0) { ctx.fillStyle = fill; ctx.fillRect(x0, b.top, Math.max(1, x1 - x0), b.height); }
      }
      ctx.save();
      d.weddings.forEach(function (w) { band(w.from, w.to, w.protected ? 'rgba(155,89,182,.22)' : 'rgba(155,89,182,.12)'); });
      d.gaps.forEach(function (g) { band(g[0], g[1], '#d5d8dc'); });
      ctx.restore();
    }] } };
  }

  // One thin red strip per shown policy along the bottom of the load chart: its overloaded minutes.
  function overloadStrips(d) {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx, b = u.bbox, h = 3 * devicePixelRatio, row = 0, span = d.stepsPerPoint * 60;
      ctx.save();
      d.series.forEach(function (s, i) {
        if (!u.series[i + 2].show) return;
        var y = b.top + b.height - (row + 1) * (h + devicePixelRatio);
        row++;
        ctx.fillStyle = '#d62728';
        for (var k = 0; k < d.t.length; k++) {
          if (!s.overload[k]) continue;
          var x0 = u.valToPos(d.t[k], 'x', true), x1 = u.valToPos(d.t[k] + span, 'x', true);
          if (x1 >= b.left && x0 <= b.left + b.width) ctx.fillRect(x0, y, Math.max(devicePixelRatio, x1 - x0), h);
        }
      });
      ctx.restore();
    }] } };
  }

  // The "why" marks: a dashed line and a label where a protection or calendar rule took over.
  function whyMarks(d) {
    var marks = [];
    return { hooks: {
      init: [function (u) {
        d.why.forEach(function (w, i) {
          var m = el('div', 'why-mark');
          m.setAttribute('data-testid', 'why-mark');
          m.setAttribute('data-rule', w.rule);
          m.setAttribute('data-t', String(w.t));
          m.title = fmtTime(w.t) + ': ' + w.rule + ' set ' + w.replicas + ' replicas (' + w.detail + ')';
          m.appendChild(el('span', 'why-label', w.rule + ' → ' + w.replicas));
          m.style.setProperty('--row', String(i % 3));
          u.over.appendChild(m);
          marks.push(m);
        });
      }],
      draw: [function (u) {
        var lastLabel = -1e9, min = u.scales.x.min, max = u.scales.x.max;
        marks.forEach(function (m, i) {
          var t = d.why[i].t;
          if (t < min || t > max) { m.style.display = 'none'; return; }
          var x = u.valToPos(t, 'x');
          m.style.display = '';
          m.style.left = x + 'px';
          var label = x - lastLabel > 40;
          m.classList.toggle('no-label', !label);
          if (label) lastLabel = x;
        });
      }],
    } };
  }

  function whyAt(d, t) {
    for (var i = d.why.length - 1; i >= 0; i--) if (d.why[i].t <= t) return t < d.why[i].until ? d.why[i] : null;
    return null;
  }

  // The tooltip: the minute, every shown series' value, and what else was true then.
  function tooltip(unit, keys, labelRows, extra) {
    var tip;
    return { hooks: {
      init: [function (u) { tip = el('div', 'tooltip'); tip.setAttribute('data-testid', 'tooltip'); tip.style.display = 'none'; u.over.appendChild(tip); }],
      setCursor: [function (u) {
        var i = u.cursor.idx;
        if (i == null || u.cursor.left == null || u.cursor.left < 0) { tip.style.display = 'none'; return; }
        tip.textContent = '';
        tip.appendChild(el('div', 'tip-time', fmtTime(u.data[0][i])));
        u.series.forEach(function (s, k) {
          if (k === 0 || !s.show) return;
          var row = el('div', 'tip-row');
          row.setAttribute('data-series', keys[k]);
          var sw = el('span', 'swatch'); sw.style.background = s._stroke || s.stroke; row.appendChild(sw);
          row.appendChild(el('span', 'tip-label', s.label));
          row.appendChild(el('b', 'tip-value', fmtNum(u.data[k][i])));
          row.appendChild(el('span', 'tip-unit', unit));
          tip.appendChild(row);
        });
        extra(u, i, tip);
        tip.style.display = '';
        var left = u.cursor.left + 14, w = tip.offsetWidth;
        if (left + w > u.over.clientWidth) left = Math.max(0, u.cursor.left - w - 14);
        tip.style.left = left + 'px';
        // Below the rows of "why" labels along the top, so the tooltip never hides them.
        tip.style.top = Math.max(labelRows * 17 + 6, Math.min(u.cursor.top + 14, u.over.clientHeight - tip.offsetHeight)) + 'px';
      }],
    } };
  }

  function yMax(d, field) {
    var m = 1;
    if (field === 'capacity') d.demand.forEach(function (v) { if (v > m) m = v; });
    d.series.forEach(function (s) { if (s.name !== 'static_peak') s[field].forEach(function (v) { if (v > m) m = v; }); });
    return m * 1.08;
  }

  function makeChart(host, d, field, ti, syncWith) {
    var unit = field === 'capacity' ? 'req/s' : 'replicas';
    var keys = [null];
    var series = [{ label: 'time (UTC)', value: function (u, v) { return v == null ? '—' : fmtTime(v); } }];
    var data = [d.t];
    if (field === 'capacity') {
      keys.push('demand');
      series.push({ label: 'demand', stroke: '#1d2430', width: 1.2, class: 'series-demand' });
      data.push(d.demand);
    }
    d.series.forEach(function (s) {
      keys.push(s.name);
      series.push({ label: s.label + (field === 'capacity' ? ': capacity' : ': replicas asked'), stroke: s.colour, width: s.name === 'agent' ? 2 : 1.2, dash: s.dash ? [5, 3] : undefined, class: 'series-' + s.name, paths: uPlot.paths.stepped({ align: 1 }) });
      data.push(s[field]);
    });
    var top = yMax(d, field);
    var plugins = [bands(d), tooltip(unit, keys, field === 'replicas' ? Math.min(3, d.why.length) : 0, function (u, i, tip) {
      var t = u.data[0][i];
      if (field === 'capacity') {
        var over = d.series.filter(function (s, k) { return s.overload[i] && u.series[k + 2].show; }).map(function (s) { return s.name.replace('_', ' '); });
        tip.appendChild(el('div', 'tip-note', over.length ? 'overloaded: ' + over.join(', ') : 'no overload'));
      } else {
        var w = whyAt(d, t);
        if (w) { var n = el('div', 'tip-why', 'why: ' + w.rule + ' (' + w.detail + ')'); n.setAttribute('data-testid', 'tooltip-why'); tip.appendChild(n); }
      }
      d.weddings.forEach(function (w) { if (w.from <= t && t < w.to) tip.appendChild(el('div', 'tip-note', 'wedding live: ' + w.title + (w.protected ? ' (protected)' : ''))); });
      if (d.stepsPerPoint > 1) tip.appendChild(el('div', 'tip-note', 'over ' + d.stepsPerPoint + ' min: ' + (field === 'capacity' ? 'highest demand, lowest capacity' : 'most replicas asked')));
    })];
    plugins.push(field === 'capacity' ? overloadStrips(d) : whyMarks(d));
    var opts = {
      width: Math.max(320, host.clientWidth),
      height: field === 'capacity' ? 320 : 300,
      plugins: plugins,
      series: series,
      legend: { live: false },
      cursor: { sync: { key: 'wedsync-' + ti }, drag: { x: true, y: false } },
      // Axis labels in UTC, as in the tooltip and the tables (not the viewer's time zone).
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      scales: { x: { time: true }, y: { range: function () { return [0, top]; } } },
      axes: [{}, { label: field === 'capacity' ? 'requests / s' : 'replicas', size: 60 }],
      hooks: { setScale: [function (u, key) {
        if (key !== 'x' || u._syncing) return;
        syncWith.forEach(function (o) { if (o !== u) { o._syncing = true; o.setScale('x', { min: u.scales.x.min, max: u.scales.x.max }); o._syncing = false; } });
      }] },
    };
    var u = new uPlot(opts, data, host);
    u.wedsyncField = field;
    u.wedsyncTarget = d.id;
    return u;
  }

  document.querySelectorAll('script[data-chart-data]').forEach(function (node, ti) {
    var d = JSON.parse(node.textContent);
    var section = node.closest('section');
    var group = [];
    ['capacity', 'replicas'].forEach(function (field) {
      var host = section.querySelector('[data-chart=' + field + ']');
      var u = makeChart(host, d, field, ti, group);
      group.push(u);
      all.push(u);
    });
  });
  var resizing;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { all.forEach(function (u) { u.setSize({ width: Math.max(320, u.root.parentNode.clientWidth), height: u.height }); }); }, 100);
  });
})();`;
