// Live character count for the reply box on the case page. It counts as cases.services.queue_reply does
// (Unicode code points of the trimmed text), so the number shown is the number the server will check.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-limit]").forEach(function (box) {
    var output = document.getElementById(box.dataset.counter);
    var limit = parseInt(box.dataset.limit, 10);
    if (!output || !limit) {
      return;
    }
    function update() {
      var length = Array.from(box.value.trim()).length;
      output.textContent = length + " / " + limit;
      output.classList.toggle("over", length > limit);
    }
    box.addEventListener("input", update);
    update();
  });
})();
