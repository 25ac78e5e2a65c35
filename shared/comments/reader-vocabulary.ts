/**
 * What readers are offered about comments, in a module that imports nothing, so the reader
 * widget (web/widget) bundles these very values instead of copies that could drift.
 */

/** Why a reader may flag a comment. */
export const FLAG_REASONS = ['offensive', 'abusive', 'spam', 'other'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** How long after posting its author may still change or delete a comment. */
export const AUTHOR_EDIT_WINDOW_SECONDS = 15 * 60;
