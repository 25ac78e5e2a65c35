/**
 * The widget's one way of making DOM: elements with properties and children, text always as
 * text nodes (never HTML: reader text is shown as written, markup and all).
 */
import { THEME_PROPERTIES, type Part } from './embedding';

type Child = Node | string | null | undefined | false;
/** An event handler; an async one's failure is logged, never left unhandled. */
type Handler = (event: Event) => unknown;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  // A `part` is one of the declared parts (embedding.ts), so the documented list is the whole list.
  props: Partial<Record<string, string | number | boolean | Handler>> & { part?: Part } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), (event) => {
        Promise.resolve(value(event)).catch((error: unknown) => console.error('newsroom widget:', error));
      });
    } else if (name in element && !name.includes('-') && name !== 'part')
      (element as unknown as Record<string, unknown>)[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

/** A shadow root with the shared base styles and the element's own. */
export function shadow(host: HTMLElement, css: string): ShadowRoot {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = BASE_CSS + css;
  replace(root, style);
  return root;
}

/** The host page's theme (embedding.ts), read once on the host: `font:var(--newsroom-font,inherit);…`. */
const HOST_THEME = Object.entries(THEME_PROPERTIES)
  .map(([property, { sets, fallback }]) => `${sets}:var(${property},${fallback})`)
  .join(';');

/**
 * Themed through custom properties (set them on the host page's elements); parts are exposed
 * with `part` for finer styling. Colours meet WCAG AA contrast on the default white.
 */
const BASE_CSS = `
:host{display:block;${HOST_THEME}}
*{box-sizing:border-box}
h2{font-size:1.15em;margin:0 0 .5em}
button{font:inherit;cursor:pointer;border:1px solid var(--_accent);background:var(--_bg);color:var(--_accent);border-radius:4px;padding:.35em .8em}
button.primary{background:var(--_accent);color:#fff}
button:disabled{opacity:.6;cursor:default}
button:focus-visible,select:focus-visible,textarea:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid var(--_accent);outline-offset:2px}
.linkish{border:0;padding:0;background:none;text-decoration:underline}
textarea,input,select{font:inherit;border:1px solid var(--_muted);border-radius:4px;padding:.35em;background:var(--_bg);color:inherit}
textarea{width:100%;min-height:4.5em}
label{display:block;margin:.5em 0 .2em;font-weight:600}
.muted{color:var(--_muted);font-size:.9em}
.error{color:#b3261e}
.row{display:flex;gap:.5em;flex-wrap:wrap;align-items:center}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
