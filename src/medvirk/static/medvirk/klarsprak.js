// Klarspråk check as you type. Progressive enhancement: without this script the editor
// still shows the check after each save. For every <textarea data-klarsprak-url> it posts
// the text (debounced) and puts the answer into the live region "klarsprak-<textarea id>".
(function () {
  "use strict";
  var DELAY_MS = 400;

  function attach(textarea) {
    var region = document.getElementById("klarsprak-" + textarea.id);
    var tokenInput = textarea.form && textarea.form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!region || !tokenInput || !window.fetch) return;
    var timer = null;
    var sent = 0;
    var shown = region.innerHTML;

    function check() {
      var mine = ++sent;
      var body = new FormData();
      body.append("text", textarea.value);
      fetch(textarea.getAttribute("data-klarsprak-url"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": tokenInput.value },
      })
        .then(function (response) {
          // 400 carries a message to show; anything else (a login page, an error) is ignored.
          if (response.redirected || !(response.ok || response.status === 400)) return null;
          return response.text();
        })
        .then(function (html) {
          // Only the answer to the latest text counts; unchanged answers are not re-announced.
          if (html === null || mine !== sent || html === shown) return;
          region.innerHTML = html;
          shown = html;
        })
        .catch(function () {});
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, DELAY_MS);
    });
  }

  document.querySelectorAll("textarea[data-klarsprak-url]").forEach(attach);
})();
