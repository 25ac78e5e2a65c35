/**
 * What a host page uses of the widget, declared once: the elements it embeds, the attributes they
 * read, the custom properties that theme them and the parts it may style. The code takes each from
 * here (an attribute, property or part exists only by being listed), and docs/embedding.md is held
 * against these lists (test/unit/docs/embedding-and-desk-pages.test.ts). No DOM and no imports, so
 * Node reads it too.
 */

/** The custom elements, by tag; `newsroom-story` shows the other four. */
export const ELEMENT_TAGS = [
  'newsroom-story',
  'newsroom-poll',
  'newsroom-comments',
  'newsroom-report-error',
  'newsroom-corrections',
] as const;
export type ElementTag = (typeof ELEMENT_TAGS)[number];

/** The attributes every element reads; `newsroom-story` passes them to its parts. */
export const ELEMENT_ATTRIBUTES = ['article-id', 'api', 'reads', 'reader-token'] as const;
export type ElementAttribute = (typeof ELEMENT_ATTRIBUTES)[number];

/** HTML's own attribute for the language, which the widget looks up on the element and its ancestors (strings.ts). */
export const LANGUAGE_ATTRIBUTE = 'lang';

/**
 * The custom properties a host page themes the widget with (they inherit into the shadow roots),
 * each with what it sets on the element's host and its value when the page sets none. The
 * defaults meet WCAG AA contrast on white.
 */
export const THEME_PROPERTIES = {
  '--newsroom-font': { sets: 'font', fallback: 'inherit' },
  '--newsroom-text': { sets: 'color', fallback: '#1a1a1a' },
  '--newsroom-accent': { sets: '--_accent', fallback: '#0b57d0' },
  '--newsroom-muted': { sets: '--_muted', fallback: '#595959' },
  '--newsroom-line': { sets: '--_line', fallback: '#d0d0d0' },
  '--newsroom-background': { sets: '--_bg', fallback: '#fff' },
} as const;

/**
 * The parts a host page may style with `::part()`. `newsroom-story` exports its parts' parts, so
 * `newsroom-story::part(poll)` reaches the poll inside it.
 */
export const PARTS = ['poll', 'option', 'results', 'section', 'comments', 'form', 'report', 'corrections'] as const;
export type Part = (typeof PARTS)[number];
