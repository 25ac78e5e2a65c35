/** Elements with text, never HTML: nothing the desk shows is parsed as markup. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

export function button(text: string, onClick: () => void, className?: string): HTMLButtonElement {
  const element = el('button', text, { type: 'button', ...(className ? { class: className } : {}) });
  element.addEventListener('click', onClick);
  return element;
}

type Child = Node | string | null | undefined | false;

/** An element with attributes and children; strings become text nodes, never markup. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  element.append(...nodes(...children));
  return element;
}

/** The children that are there: for `append` and `replaceChildren` with optional parts. */
export function nodes(...children: Child[]): (Node | string)[] {
  return children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false);
}

/** A `<time>` showing `text` for an ISO time. */
export function time(iso: string, text: string): HTMLTimeElement {
  return h('time', { datetime: iso }, text);
}

let ids = 0;
/** A unique id for label `for`, `aria-labelledby` and the like. */
export function uid(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A message shown in place of an action's result: role=alert, so it is announced. */
export function errorText(message: string): HTMLParagraphElement {
  return el('p', message, { role: 'alert', class: 'alert' });
}
