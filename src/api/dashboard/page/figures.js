// A <dl> of label/value pairs, written with textContent only (state strings are never parsed as HTML).

/** @param {HTMLElement} dl @param {[string, string, string?][]} pairs label, value, optional data-state */
export function renderFigures(dl, pairs) {
  const items = [];
  for (const [label, value, state] of pairs) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    if (state !== undefined) dd.dataset.state = state;
    items.push(dt, dd);
  }
  dl.replaceChildren(...items);
}

/** A new element with a class and optional text. */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}
