// The answer library on the answer form: a found text goes into the answer at the end
// (its use is counted by htmx, on the same click).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-insert]");
  if (!button) return;
  var answer = button.closest("form").querySelector("textarea[name=text]");
  answer.value = answer.value.trim() ? answer.value.replace(/\s*$/, "\n\n") + button.dataset.insert : button.dataset.insert;
  answer.focus();
});
// Enter in the search box searches; it must not send the answer the box sits in.
document.addEventListener("keydown", function (event) {
  if (event.key === "Enter" && event.target.id === "library-q") event.preventDefault();
});
