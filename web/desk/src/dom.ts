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
