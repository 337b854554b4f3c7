// The periodic-task admin form: under the crontab field, say in words when the chosen
// schedule runs (django-celery-beat puts the readable schedules in #readable-crontabs).
(function () {
  "use strict";
  const script = document.currentScript;
  const $ = window.django && window.django.jQuery;
  const source = document.getElementById("readable-crontabs");
  if (!$ || !source) {
    return;
  }
  const readable = JSON.parse(source.textContent);
  const help = $(".field-crontab .help");
  const original = script.dataset.crontabHelp || "";
  $(".field-crontab_translation").hide();
  $(".field-crontab").on("change", function () {
    const words = readable[$("#id_crontab").val()];
    help.text(original);
    if (words) {
      help.append($("<br>"), document.createTextNode(words));
    }
  });
})();
