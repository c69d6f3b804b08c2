// The page's only script: click-to-sort on table headings and quick tooltips. Everything is
// readable without it. It reads the DOM (no data embedded in the script) and writes only
// textContent, so nothing from a log can become markup through it.
export const PAGE_SCRIPT = `(function () {
  'use strict';
  function sortKey(td, num) {
    var v = td ? td.getAttribute('data-v') : '';
    if (v === null) v = td.textContent;
    if (!num) return v;
    return v === '' ? -Infinity : Number(v);
  }
  function sortBy(table, th, col) {
    var num = th.getAttribute('data-sort') === 'num';
    var cur = th.getAttribute('aria-sort');
    var dir = cur === 'descending' ? 1 : cur === 'ascending' ? -1 : num ? -1 : 1;
    var body = table.tBodies[0];
    var items = Array.prototype.map.call(body.rows, function (tr, i) { return { tr: tr, i: i, k: sortKey(tr.cells[col], num) }; });
    items.sort(function (a, b) {
      var c = num ? (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) : String(a.k).localeCompare(String(b.k), 'en', { numeric: true });
      return c * dir || a.i - b.i;
    });
    items.forEach(function (it) { body.appendChild(it.tr); });
    Array.prototype.forEach.call(th.parentNode.cells, function (o) { o.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    if (!table.tHead || table.tBodies[0].querySelector('tr.empty')) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort';
      b.title = 'Sort by ' + th.textContent;
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      // on the cell, not only the button: a click anywhere in the heading sorts (the button gives keyboard access)
      th.addEventListener('click', function () { sortBy(table, th, col); });
    });
  });
  var tip = document.createElement('div');
  tip.className = 'tip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  document.body.appendChild(tip);
  Array.prototype.forEach.call(document.querySelectorAll('svg g.bar > title, td.hm[title]'), function (el) {
    var host = el.tagName.toLowerCase() === 'title' ? el.parentNode : el;
    var text = host === el ? el.getAttribute('title') : el.textContent;
    host.setAttribute('data-tip', text);
    host.setAttribute('aria-label', text);
    if (host === el) el.removeAttribute('title'); else el.parentNode.removeChild(el);
  });
  document.addEventListener('mouseover', function (e) {
    var el = e.target.closest ? e.target.closest('[data-tip]') : null;
    if (!el) { tip.hidden = true; return; }
    tip.textContent = el.getAttribute('data-tip');
    tip.hidden = false;
  });
  document.addEventListener('mousemove', function (e) {
    if (tip.hidden) return;
    var x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    tip.style.left = x + 'px';
    tip.style.top = (e.clientY + 16) + 'px';
  });
})();`;
