/**
 * The categories and states of an error report, in a module that imports nothing, so the reader
 * widget (web/widget) and the editors' desk bundle these very values instead of copies.
 */
export const ERROR_REPORT_CATEGORIES = ['factual', 'typo', 'broken-link', 'missing-context', 'other'] as const;
export type ErrorReportCategory = (typeof ERROR_REPORT_CATEGORIES)[number];

export const ERROR_REPORT_STATUSES = ['received', 'reviewing', 'corrected', 'rejected'] as const;
export type ErrorReportStatus = (typeof ERROR_REPORT_STATUSES)[number];
