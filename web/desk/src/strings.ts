/**
 * Everything the desk itself says, in one table (English: the desk is for the newsroom's editors).
 * What the API sends — comments, reports, headlines, its error messages — is shown as it comes,
 * always as text. `{name}` placeholders are filled by {@link fill}, as text too.
 *
 * No DOM here, so the unit tests (run in Node) read the same strings as the page.
 */
import type { QueueAction } from './queue-keys';
import type { Decision, FlagReason, QueueStatus, ReportCategory, ReportStatus } from './shapes';

/** A phrase that depends on a number: `one` for 1, `other` for the rest (English needs no more). */
export interface Plural {
  one: string;
  other: string;
}

export const strings = {
  locale: 'en',

  // workspace.ts
  views: 'Desk views',
  queueTab: { pending: 'Pending', flagged: 'Flagged' } satisfies Record<QueueStatus, string>,
  reportsTab: 'Error reports',
  alertsTab: 'Alerts',

  // api.ts: what a failed request tells the editor
  unreachable: 'The newsroom API could not be reached. Check the connection and try again.',
  tooManyTries: 'Too many requests. Try again in {wait}.',
  seconds: { one: '{count} second', other: '{count} seconds' },
  minutes: { one: '{count} minute', other: '{count} minutes' },
  serverFailed: 'The API failed ({status}). Try again; if it goes on, quote this: {detail}',
  requestFailed: 'The request failed ({status}).',
  sessionEnded: 'Your session has ended. Sign in again to go on.',
  notAllowed: 'Your account may not do this ({message}).',

  // queue-view.ts
  queueHeading: { pending: 'Pending comments', flagged: 'Flagged comments' } satisfies Record<QueueStatus, string>,
  queueIntro: {
    pending: 'Comments the rules held for review, oldest first.',
    flagged: 'Comments readers flagged until an editor looks, oldest first.',
  } satisfies Record<QueueStatus, string>,
  keysHelp: 'Keys',
  /** What each of the queue's keys (queue-keys.ts) does, as its Keys list says it. */
  keys: {
    next: 'next comment',
    previous: 'previous comment',
    approved: 'approve',
    rejected: 'reject',
    hidden: 'hide',
    deleted: 'delete (asks first)',
    undo: 'undo the last approve, reject or hide',
  } satisfies Record<QueueAction, string>,
  queueEmpty: { pending: 'No comments are waiting for review.', flagged: 'No flagged comments.' } satisfies Record<
    QueueStatus,
    string
  >,
  loading: 'Loading…',
  refresh: 'Refresh',
  loadMore: 'Load more',
  commentsList: 'Comments to review',
  storyGone: 'Story no longer available',
  onStory: 'On',
  openStoryPage: 'Open the story page',
  storyPanel: 'Story',
  readerPanel: 'Reader',
  importedComment: 'Imported with the story',
  anonymousAuthor: 'A reader',
  verified: 'verified',
  edited: 'edited',
  postedAt: 'Posted {time}',
  inReplyTo: 'In reply to {author}',
  heldFor: 'Held for review: {reason}',
  heldReasons: { link: 'it contains a link', suspect_word: 'it contains a word on the watch list' } as Record<
    string,
    string
  >,
  flagsSummary: { one: 'Flagged once', other: 'Flagged {count} times' },
  flagsSinceReview: '{since} since the last review, from {sources} {sourceWord}',
  source: { one: 'source', other: 'sources' },
  flagReasons: { offensive: 'offensive', abusive: 'abusive', spam: 'spam', other: 'other' } satisfies Record<
    FlagReason,
    string
  >,
  decisionButton: { approved: 'Approve', rejected: 'Reject', hidden: 'Hide', deleted: 'Delete…' } satisfies Record<
    Decision,
    string
  >,
  decided: {
    approved: 'Approved comment by {author}.',
    rejected: 'Rejected comment by {author}.',
    hidden: 'Hid comment by {author}.',
    deleted: 'Deleted comment by {author}.',
  } satisfies Record<Decision, string>,
  undoLabel: {
    approved: 'Undo approve of comment by {author}',
    rejected: 'Undo reject of comment by {author}',
    hidden: 'Undo hide of comment by {author}',
  } satisfies Record<Exclude<Decision, 'deleted'>, string>,
  undone: 'Undone: the comment by {author} is {status} again.',
  nothingToUndo: 'Nothing to undo: {message}',
  confirmDeleteTitle: 'Delete this comment?',
  confirmDeleteText: 'The comment by {author} will be deleted for good: a delete cannot be undone.',
  confirmDelete: 'Delete comment',
  cancel: 'Cancel',
  commentStatus: {
    pending: 'pending',
    approved: 'approved',
    flagged: 'flagged',
    rejected: 'rejected',
    hidden: 'hidden',
    deleted: 'deleted',
  },

  // panels.ts
  close: 'Close',

  // reader-panel.ts
  readerHeading: 'Reader {name}',
  readerId: 'Reader id',
  banStatus: 'Ban',
  notBanned: 'Not banned.',
  bannedUntil: 'Banned until {time}.',
  bannedForever: 'Banned until an editor lifts the ban.',
  banReason: 'Reason: {reason}',
  banTitle: 'Ban this reader',
  banReplace: 'Change the ban',
  banFor: 'Ban for',
  banChoices: [
    ['1d', '1 day'],
    ['7d', '7 days'],
    ['30d', '30 days'],
    ['until', 'Until a date and time'],
    ['forever', 'Until lifted'],
  ] as const,
  banUntil: 'Ends at (your time)',
  banReasonLabel: 'Reason (for editors; the reader is not told)',
  banSubmit: 'Ban reader',
  banDone: 'Banned {name} {until}.',
  banNeedsTime: 'Choose when the ban ends.',
  unban: 'Lift the ban',
  unbanned: 'The ban on {name} is lifted.',
  banHistory: 'Ban history',
  banHistoryBanned: 'Banned {until} by {by} on {at}',
  banHistoryUnbanned: 'Ban lifted by {by} on {at}',
  banHistoryUntil: 'until {time}',
  banHistoryForever: 'until lifted',
  noBanHistory: 'Never banned.',
  readerComments: 'Their comments',
  noReaderComments: 'No comments.',
  readerFlags: 'Their flags',
  noReaderFlags: 'No flags.',
  flagLine: 'Flagged a comment as {reason} on {time}',
  flagNotCounted: '(not counted: a brand-new reader)',
  moreComments: 'More comments',
  moreFlags: 'More flags',
  you: 'you',

  // story-panel.ts
  commentsOpenLabel: 'Comments open',
  commentsNowOpen: 'Comments are open on this story.',
  commentsNowClosed: 'Comments are closed on this story.',
  storyReports: 'Error reports on this story',
  noStoryReports: 'No error reports.',
  corrections: 'Published corrections',
  noCorrections: 'No corrections.',
  correctedAt: 'Published {time}',
  storyId: 'Story id {id}',

  // reports-view.ts and report-panel.ts
  reportsHeading: 'Error reports',
  reportsIntro: 'What readers reported, newest first. A report only moves forward.',
  reportStatusFilter: 'Status',
  reportStatus: {
    received: 'Received',
    reviewing: 'Reviewing',
    corrected: 'Corrected',
    rejected: 'Rejected',
  } satisfies Record<ReportStatus, string>,
  reportCategory: {
    factual: 'Factual error',
    typo: 'Typo',
    'broken-link': 'Broken link',
    'missing-context': 'Missing context',
    other: 'Other',
  } satisfies Record<ReportCategory, string>,
  storyFilter: 'Story id',
  storyFilterHint: '16 hexadecimal digits, as in the story’s address',
  applyFilter: 'Filter',
  clearFilter: 'Show all stories',
  filteredBy: 'Showing reports on {story}.',
  noReports: 'No {status} reports.',
  reportsList: 'Reports',
  openReport: 'Open report',
  reportedAt: 'Reported {time}',
  reported: 'Reported',
  reportHeading: '{category} report',
  reportStory: 'Story',
  reportDescription: 'What the reader says',
  reportQuote: 'Quoted from the story',
  reportContact: 'Reader’s contact',
  noContact: 'The reader left no contact, or it has been erased.',
  reportHistory: 'History',
  historyLine: '{status} on {time}',
  historyBy: 'by {by}',
  reportsOnStory: 'All reports on this story',
  moveTitle: 'Move forward',
  moveTo: 'Move to',
  moveChoice: {
    reviewing: 'Reviewing',
    corrected: 'Corrected: publish a correction',
    rejected: 'Rejected: no correction',
  } satisfies Record<Exclude<ReportStatus, 'received'>, string>,
  correctionLabel: 'Correction (published on the story)',
  correctionRequired: 'Write the correction readers will see.',
  noteLabel: 'Note for editors (optional)',
  moveSubmit: 'Move report',
  moved: 'The report is now {status}.',
  published: 'The correction is published on the story:',
  viewStoryPage: 'See it on the story page',
  closedReport: 'This report is closed ({status}); a closed report does not move.',

  // alerts-view.ts
  alertsHeading: 'Alerts',
  alertsIntro: 'New error reports and refused stories since you last looked.',
  alertsSince: 'Since {time}.',
  alertsEverything: 'Everything kept (14 days): you have not marked alerts as seen here before.',
  noAlerts: 'Nothing new.',
  markSeen: 'Mark as seen',
  markedSeen: 'Alerts marked as seen.',
  alertsList: 'New alerts',
  alertReport: 'Error report: {category}',
  alertRejected: 'Story refused at ingest',
  alertRejectedSource: 'Input: {key}',
  alertRejectedReason: '{message} ({code})',
  unknownStory: 'Story {id}',
  moreAlerts: 'Older alerts',
};

export type Strings = typeof strings;

/** `{name}` placeholders replaced by `values`, as text. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
}

/** The phrase for `count`, with `{count}` filled. */
export function plural(phrase: Plural, count: number, values: Record<string, string | number> = {}): string {
  return fill(count === 1 ? phrase.one : phrase.other, { count, ...values });
}

/** A date and time as the desk shows them: "Jun 3, 2021, 9:15 AM". */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : new Intl.DateTimeFormat(strings.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
