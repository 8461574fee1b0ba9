// A one-page worksheet: shown on the page, and printed alone when the button is pressed.
// The sheet's markup is built and escaped in Python (print_sheet.py) from course_config.
function render({ model, el }) {
  el.classList.add("ik-sheet-wrap");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "ik-sheet-print";
  button.textContent = model.get("label");
  const hint = document.createElement("p");
  hint.className = "ik-sheet-hint";
  hint.textContent = model.get("hint");
  const sheet = document.createElement("div");
  sheet.className = "ik-sheet";
  sheet.innerHTML = model.get("sheet_html");
  const done = () => document.documentElement.classList.remove("ik-printing");
  button.addEventListener("click", () => {
    document.documentElement.classList.add("ik-printing");
    window.addEventListener("afterprint", done, { once: true });
    window.print();
  });
  el.append(button, hint, sheet);
  return () => { window.removeEventListener("afterprint", done); done(); };
}
export default { render };
