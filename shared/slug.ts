/**
 * URL slugs: lower-case ASCII words joined by hyphens, accents folded, at most 80 characters.
 * Articles take their slug from the headline and polls their option ids from the labels; both
 * domains use this one definition, which therefore sits below them.
 */
export function slugify(headline: string): string {
  return headline
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}
