/* authentitext report: sortable and filterable claim table. No external code. */
(function () {
  "use strict";
  var table = document.getElementById("claim-table");
  if (!table || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("claim-filter");
  var orgSel = document.getElementById("org-filter");
  var verdictSel = document.getElementById("verdict-filter");
  var count = document.getElementById("claim-count");

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function sortBy(th, index) {
    var numeric = th.getAttribute("data-type") === "num";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var sorted = rows.slice().sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index), r;
      if (numeric) {
        var nx = parseFloat(x), ny = parseFloat(y);
        nx = isNaN(nx) ? -Infinity : nx;
        ny = isNaN(ny) ? -Infinity : ny;
        r = nx - ny;
      } else {
        r = x.localeCompare(y);
      }
      return ascending ? r : -r;
    });
    sorted.forEach(function (row) { body.appendChild(row); });
  }

  function applyFilters() {
    var q = (search && search.value || "").toLowerCase();
    var org = orgSel ? orgSel.value : "";
    var verdict = verdictSel ? verdictSel.value : "";
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!q || row.textContent.toLowerCase().indexOf(q) !== -1) &&
               (!org || row.getAttribute("data-org") === org) &&
               (!verdict || row.getAttribute("data-verdict") === verdict);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    if (count) { count.textContent = shown + " of " + rows.length + " claims shown"; }
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    th.setAttribute("tabindex", "0");
    th.addEventListener("click", function () { sortBy(th, index); });
    th.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { sortBy(th, index); } });
  });
  [search, orgSel, verdictSel].forEach(function (el) {
    if (el) { el.addEventListener("input", applyFilters); el.addEventListener("change", applyFilters); }
  });
  applyFilters();
  document.documentElement.setAttribute("data-report-ready", String(rows.length));
})();
