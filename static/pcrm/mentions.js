// The mention autocomplete of an internal note: htmx fetches the colleagues whose name
// starts with what follows the last "@"; choosing one completes the name in the text
// and adds them to the note's "mention" list. Without JavaScript, "@이름" in the text
// still mentions them, and the notes page offers a plain list to choose from.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-mention-id]");
  if (!button) return;
  var form = button.closest("form");
  var text = form.querySelector("textarea[data-mentions]");
  var at = text.value.lastIndexOf("@");
  var before = at >= 0 ? text.value.slice(0, at) : text.value + " ";
  text.value = before + "@" + button.dataset.mentionName + " ";
  var field = text.dataset.mentions;  // the name of the form's list of colleagues
  if (!form.querySelector("input[name='" + field + "'][value='" + button.dataset.mentionId + "']")) {
    var chosen = document.createElement("input");
    chosen.type = "hidden";
    chosen.name = field;
    chosen.value = button.dataset.mentionId;
    form.appendChild(chosen);
  }
  document.getElementById("mention-suggestions").innerHTML = "";
  text.focus();
});
