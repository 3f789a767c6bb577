// Live totals of the invoice form, in integer cents with the server's rounding (half up, per
// line). Indicative only: the invoice the API records is the authority.
(function () {
  "use strict";
  var form = document.getElementById("invoice-form");
  if (!form) { return; }
  var lines = document.getElementById("lines");
  var addButton = document.getElementById("add-line");
  var vatInUnit = form.dataset.vatSettlement !== "euro";

  function parse(text) {            // "1 234,56" -> 1234.56 as a [units, scale] pair
    var clean = String(text || "").replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    if (!/^-?\d+(\.\d+)?$/.test(clean)) { return null; }
    var parts = clean.split(".");
    var decimals = parts[1] || "";
    return { digits: BigInt(parts[0] + decimals), scale: decimals.length };
  }
  function roundDiv(numerator, denominator) {  // half up, for non-negative and negative values
    var sign = numerator < 0n ? -1n : 1n;
    var n = numerator * sign;
    return sign * ((n * 2n + denominator) / (2n * denominator));
  }
  function pow10(n) { return 10n ** BigInt(n); }
  function format(cents) {
    var negative = cents < 0n;
    var abs = negative ? -cents : cents;
    var units = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
    var rest = (abs % 100n).toString().padStart(2, "0");
    return (negative ? "-" : "") + units + "," + rest;
  }
  function euros(cents) { return format(cents) + "\u00a0€"; }
  function unitsText(cents) {
    var name = document.getElementById("unit-part").dataset.unit;
    var plural = (cents >= 200n || cents <= -200n) && !/[sxz]$/.test(name);
    return format(cents) + "\u00a0" + name + (plural ? "s" : "");
  }

  function recompute() {
    var excl = 0n, vat = 0n;
    lines.querySelectorAll("[data-line]").forEach(function (row) {
      var qty = parse(row.querySelector("[data-quantity]").value);
      var price = parse(row.querySelector("[data-price]").value);
      var rate = parse(row.querySelector("select").value);
      var out = row.querySelector("[data-line-total]");
      if (!qty || !price || !rate) { out.textContent = "—"; return; }
      // quantity × price (price in euros -> cents: scale + 2 decimals dropped by rounding)
      var lineCents = roundDiv(qty.digits * price.digits * 100n, pow10(qty.scale + price.scale));
      var lineVat = roundDiv(lineCents * rate.digits, 100n * pow10(rate.scale));
      excl += lineCents; vat += lineVat;
      out.textContent = euros(lineCents);
    });
    var incl = excl + vat;
    var checked = form.querySelector("input[name=payment_mode]:checked");
    var mode = BigInt(checked ? checked.value : 100);
    var unitPart = roundDiv((vatInUnit ? incl : excl) * mode, 100n);
    document.getElementById("total-excl").textContent = euros(excl);
    document.getElementById("total-vat").textContent = euros(vat);
    document.getElementById("total-incl").textContent = euros(incl);
    document.getElementById("unit-part").textContent = unitsText(unitPart);
    document.getElementById("euro-part").textContent = euros(incl - unitPart);
  }

  function addLine() {
    var rows = lines.querySelectorAll("[data-line]");
    var copy = rows[rows.length - 1].cloneNode(true);
    var index = rows.length;
    copy.querySelectorAll("[id],[name],[for],[aria-describedby]").forEach(function (el) {
      ["id", "name", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/lines-\d+-/g, "lines-" + index + "-")); }
      });
    });
    copy.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    copy.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    copy.querySelectorAll("input").forEach(function (el) { el.value = el.hasAttribute("data-quantity") ? "1" : ""; });
    lines.appendChild(copy);
    copy.querySelector("input").focus();
    recompute();
  }

  form.addEventListener("input", recompute);
  form.addEventListener("change", recompute);
  addButton.hidden = false;
  addButton.addEventListener("click", addLine);
  recompute();
})();
