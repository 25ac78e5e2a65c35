import { resolve } from 'node:path';
import { REPO_ROOT } from '../infra/constructs/news-function';
import { handlerEntry, topology } from '../infra/topology';

/**
 * How large and slow to load each function's bundle may be, as a multiple of the bundle that
 * holds only the DynamoDB document client (issue 10's goals). Reader routes answer the public:
 * their cold starts are what a reader waits on, so they get the tightest goal. Sizes are
 * deterministic and checked by `test/infra/bundle-budgets.test.ts` in `npm test`; load times
 * are machine-dependent and only reported by `npm run bench -- bundles`.
 */
export const BUNDLE_GOALS = { reader: 1.3, ingest: 2.0, other: 1.8 } as const;

export type BundleClass = keyof typeof BUNDLE_GOALS;

/** Every function, by name, with its class. A new function must be added here to be built. */
export const BUNDLE_CLASS_OF: ReadonlyMap<string, BundleClass> = new Map<string, BundleClass>([
  // The public GETs and the reader writes.
  ['list-articles', 'reader'],
  ['get-article', 'reader'],
  ['list-comments', 'reader'],
  ['list-comment-replies', 'reader'],
  ['post-comment', 'reader'],
  ['edit-own-comment', 'reader'],
  ['delete-own-comment', 'reader'],
  ['vote-on-comment', 'reader'],
  ['flag-comment', 'reader'],
  ['issue-reader-token', 'reader'],
  ['get-poll-results', 'reader'],
  ['cast-poll-vote', 'reader'],
  ['list-top-polls', 'reader'],
  ['submit-error-report', 'reader'],
  ['get-openapi', 'reader'],
  // Story pages and JSON articles, from the bucket or an editor: three SDK clients and the parsers.
  ['ingest-object', 'ingest'],
  ['create-article', 'ingest'],
  // Editor routes and stream and bus consumers.
  ['publish-article-changes', 'other'],
  ['list-error-reports', 'other'],
  ['get-error-report', 'other'],
  ['update-error-report', 'other'],
  ['follow-up-error-reports', 'other'],
  ['publish-corrections', 'other'],
  ['list-moderation-queue', 'other'],
  ['moderate-comment', 'other'],
  ['get-reader-record', 'other'],
  ['change-comment-settings', 'other'],
  ['ban-reader', 'other'],
  ['unban-reader', 'other'],
  ['process-comment-changes', 'other'],
  ['aggregate-poll-votes', 'other'],
  ['publish-poll-tallies', 'other'],
  ['route-stream-records', 'other'],
  ['publish-live-updates', 'other'],
  ['record-editor-alerts', 'other'],
  ['list-editor-alerts', 'other'],
]);

/** The name of the baseline bundle among the targets. */
export const BASELINE = 'baseline: DynamoDB client only';

/** The baseline first, then every function of the topology: bundle name → entry file. */
export function bundleTargets(): Map<string, string> {
  return new Map([
    [BASELINE, resolve(REPO_ROOT, 'bench/dynamodb-client-only.ts')],
    ...topology.functions.map((fn) => [fn.name, resolve(REPO_ROOT, handlerEntry(fn))] as const),
  ]);
}
