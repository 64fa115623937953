/* The ballot's running total, kept up to date while the voter ticks or types.

   Without this script the form works the same: "Update the total" sends it back and the
   page is shown again with the total and the choices kept. With it, the total (a polite
   aria-live region) changes at once. The sentences come from the page, translated, with
   {placeholders}; amounts are written the way the page's language writes numbers. */
(function () {
  "use strict";
  var form = document.getElementById("ballot-form");
  if (!form) { return; }
  var kind = form.getAttribute("data-kind");
  var budget = parseInt(form.getAttribute("data-budget"), 10) || 0;
  var max = parseInt(form.getAttribute("data-max"), 10) || 0;
  var points = parseInt(form.getAttribute("data-points"), 10) || 0;
  var totalTemplate = form.getAttribute("data-total-template") || "";
  var overTemplate = form.getAttribute("data-over-template") || "";
  var totalText = document.getElementById("total-text");
  var overText = document.getElementById("total-over");
  var lang = document.documentElement.lang || "nb";
  var number = new Intl.NumberFormat(lang === "en" ? "en-GB" : "nb-NO", { maximumFractionDigits: 0 });

  function money(amount) {
    // The page writes "200 000 kr" (nb, nn) or "200,000 kr" (en): the unit follows the number.
    return number.format(amount) + " kr";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  function update() {
    var values;
    var over = false;
    if (kind === "cumulative") {
      var given = 0;
      form.querySelectorAll("input.budget-points").forEach(function (input) {
        var value = parseInt(input.value, 10);
        if (value > 0) { given += value; }
      });
      values = { n: String(given), p: String(points), left: String(Math.max(points - given, 0)) };
      over = given > points;
    } else if (kind === "approval") {
      var count = form.querySelectorAll("input[name=project]:checked").length;
      values = { n: String(count), k: String(max) };
      over = count > max;
    } else {
      var spent = 0;
      form.querySelectorAll("input[name=project]:checked").forEach(function (input) {
        spent += parseInt(input.getAttribute("data-cost"), 10) || 0;
      });
      values = {
        spent: money(spent), budget: money(budget),
        left: money(Math.max(budget - spent, 0)), over: money(Math.max(spent - budget, 0))
      };
      over = spent > budget;
    }
    totalText.textContent = fill(totalTemplate, values);
    overText.textContent = over ? fill(overTemplate, values) : "";
  }

  form.addEventListener("change", update);
  form.addEventListener("input", function (event) {
    if (event.target && event.target.classList && event.target.classList.contains("budget-points")) { update(); }
  });
})();
