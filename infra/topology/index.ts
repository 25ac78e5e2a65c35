import { EDITOR_ALERT_DETAIL_TYPES } from '../../shared/alerts/editor-alerts';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../shared/events/catalog';
import {
  ARTICLE_CHANGES_FILTER,
  COMMENT_STREAM_FILTERS,
  REPORT_CHANGES_FILTER,
  TALLY_CHANGES_FILTER,
  VOTE_INSERTS_FILTER,
} from '../../shared/store/stream-filters';
import { BUCKET_PREFIXES } from '../../shared/store/bucket-layout';
import { routerFilters } from './stream-routes';
import { ROUTE_THROTTLES } from './throttles';
import type { FunctionDeclaration, QueueTrigger, Topology } from './types';

export * from './stream-routes';
export * from './throttles';
export * from './types';

const { incoming, raw, articles, rejected, receipts } = BUCKET_PREFIXES;

/** What ingest writes, whether the input came from the drop zone or from `POST /articles`. */
const INGEST_OUTPUTS = [
  // Read: ingest looks (HeadObject, which needs s3:GetObject) before writing raw/ and articles/:
  // a raw input is written once, and the article object only when it does not show the index yet.
  { prefix: raw, actions: ['read', 'write'] },
  { prefix: articles, actions: ['read', 'write'] },
  { prefix: rejected, actions: ['write'] },
  { prefix: receipts, actions: ['write'] },
] as const;

/**
 * The table stream's features other than the vote aggregator. DynamoDB throttles a stream shard
 * read by more than two readers, so they do not read it themselves: the stream router (below)
 * reads it once for all of them and forwards each record to the queue of every feature whose
 * filters it matches. Each keeps its stream code, its own retries and its own dead letters.
 * FIFO queues keep each item's changes in order; a failed message is tried again after the
 * visibility timeout (six times the function's timeout), `maxReceiveCount` attempts in all.
 */
const publishArticleChanges: FunctionDeclaration & { trigger: QueueTrigger } = {
  name: 'publish-article-changes',
  description:
    'Emits ArticleIngested for every article created or changed, read from the table stream (through the stream router) so no committed change is missed.',
  trigger: {
    kind: 'queue',
    fifo: true,
    streamFilters: [ARTICLE_CHANGES_FILTER],
    batchSize: 10,
    maxReceiveCount: 6,
    visibilityTimeoutSeconds: 60,
  },
  needs: { publishEvents: true },
};

const followUpErrorReports: FunctionDeclaration & { trigger: QueueTrigger } = {
  name: 'follow-up-error-reports',
  description:
    "Keeps each story's open report count, schedules contact erasure and emits the error report events, from the table stream (through the stream router).",
  trigger: {
    kind: 'queue',
    fifo: true,
    streamFilters: [REPORT_CHANGES_FILTER],
    batchSize: 10,
    maxReceiveCount: 6,
    visibilityTimeoutSeconds: 60,
  },
  // Counts an open-report change with a transaction: a conditional put of its once-only marker and
  // an ADD on the story's counts; sets the contact's erasure time with an update.
  needs: { table: { actions: ['put', 'update'] }, publishEvents: true },
};

const processCommentChanges: FunctionDeclaration & { trigger: QueueTrigger } = {
  name: 'process-comment-changes',
  description:
    'Keeps comment totals, reply counts, scores and flag counts exact, imports embedded comments and emits the comment events, from the table stream (through the stream router).',
  trigger: {
    kind: 'queue',
    fifo: true,
    streamFilters: COMMENT_STREAM_FILTERS,
    // FIFO's largest batch, delivered at once: totals are what readers see next to the comments.
    batchSize: 10,
    maxReceiveCount: 11,
    visibilityTimeoutSeconds: 180,
  },
  needs: { table: { actions: ['get', 'put', 'update'] }, publishEvents: true },
  timeoutSeconds: 30,
};

const publishPollTallies: FunctionDeclaration & { trigger: QueueTrigger } = {
  name: 'publish-poll-tallies',
  description:
    'Emits PollTallyUpdated (coalesced per story per batch), sets counts.votes and the vote rankings, from tally changes (through the stream router).',
  trigger: {
    kind: 'queue',
    // Standard, not FIFO: each projection reads the tally as it is now and writes only newer
    // versions, so order and duplicates change nothing, and only a standard queue batches over a
    // window: 1,000 changes or 1 s, one event and one projection per story per batch, as before.
    fifo: false,
    streamFilters: [TALLY_CHANGES_FILTER],
    batchSize: 1000,
    maxBatchingWindowSeconds: 1,
    maxReceiveCount: 11,
    visibilityTimeoutSeconds: 180,
  },
  needs: { table: { actions: ['batchGet', 'put', 'update'] }, publishEvents: true },
  timeoutSeconds: 30,
};

/**
 * The stream's second reader: forwards every record one of the features above wants to their
 * queues. It fails only when it cannot forward (SQS unreachable), so its retries and bisection
 * are about delivery, never about a feature's poison record.
 */
const streamRouter: FunctionDeclaration = {
  name: 'route-stream-records',
  description:
    "Forwards the table stream's records to the queue of each feature that reads them, so the stream has two readers: this and the vote aggregator.",
  trigger: {
    kind: 'stream',
    batchSize: 100,
    // At once: the features batch on their own queues.
    maxBatchingWindowSeconds: 0,
    filters: routerFilters([publishArticleChanges, followUpErrorReports, processCommentChanges, publishPollTallies]),
    retryAttempts: 20,
    bisectBatchOnError: true,
    startingPosition: 'TRIM_HORIZON',
  },
  needs: { routeStreamRecords: true },
  timeoutSeconds: 30,
};

/**
 * Live updates: the bus events that change what an open page shows, narrowed to those that do
 * (a reader's approved comment, not a held or imported one; a change to or from approved; a
 * report closed with a correction), delivered to the publisher, which pushes them to the story's
 * channel of the Event API.
 */
const publishLiveUpdates: FunctionDeclaration = {
  name: 'publish-live-updates',
  description:
    'Pushes poll tallies, comments shown or removed and corrections to the pages open on a story (AppSync Events), at most one message a second per story and kind.',
  trigger: {
    kind: 'event',
    ruleName: 'live-updates',
    pattern: {
      source: [EVENT_SOURCE],
      $or: [
        { 'detail-type': [DETAIL_TYPES.pollTallyUpdated] },
        { 'detail-type': [DETAIL_TYPES.commentPosted], detail: { status: ['approved'], origin: ['reader'] } },
        { 'detail-type': [DETAIL_TYPES.commentEdited], detail: { status: ['approved'] } },
        { 'detail-type': [DETAIL_TYPES.commentModerated], detail: { status: ['approved'] } },
        { 'detail-type': [DETAIL_TYPES.commentModerated], detail: { previousStatus: ['approved'] } },
        {
          'detail-type': [DETAIL_TYPES.errorReportResolved],
          detail: { status: ['corrected'], correction: { text: [{ exists: true }] } },
        },
      ],
    },
    retryAttempts: 8,
    maxEventAgeSeconds: 24 * 3600,
  },
  // get: the comment and the story's corrections it announces (consistent reads); update: the
  // ordering and coalescing slots (one conditional UpdateItem a claim).
  needs: { table: { actions: ['get', 'update'] }, publishLiveUpdates: true },
  // Time to wait for a busy second: a story's poll or corrections state waits at most about a
  // second for the next free one, so 30 s leaves room for a slow publish and the table's retries.
  timeoutSeconds: 30,
};

/** What editors are alerted to: a reader's error report and a refused ingest. */
const EDITOR_ALERT_PATTERN = { source: [EVENT_SOURCE], 'detail-type': [...EDITOR_ALERT_DETAIL_TYPES] };

/**
 * The editor-alert rule's third delivery: besides the topic and the inbox queue (`editorAlerts`,
 * below), the same events, by the same pattern, to the function that keeps the alerts list the
 * desks read. Its own rule, as every bus consumer has, with the same retries and a dead-letter
 * queue of its own; a redelivered event records nothing twice (the alert is keyed by event id).
 */
const recordEditorAlerts: FunctionDeclaration = {
  name: 'record-editor-alerts',
  description:
    "Keeps the editors' alerts list (new error reports, refused ingests) in the table for the desks, 14 days, once per event.",
  trigger: {
    kind: 'event',
    ruleName: 'editor-alerts-list',
    pattern: EDITOR_ALERT_PATTERN,
    retryAttempts: 8,
    maxEventAgeSeconds: 24 * 3600,
  },
  // get: the reported story's headline (projected); put: the alert, conditional on its event id.
  needs: { table: { actions: ['get', 'put'] } },
};

/**
 * Every function of the backend, its trigger and what it may touch. This is the only place a
 * function is declared: the CDK stack and the local stack are generated from this list.
 */
export const topology: Topology = {
  functions: [
    {
      name: 'ingest-object',
      description:
        'Parses a story dropped under incoming/ into a normalized article, stores and indexes it, or rejects it.',
      trigger: { kind: 's3', prefix: incoming, retryAttempts: 2 },
      needs: {
        // Saving is one conditional UpdateItem; the article object is rendered from a consistent
        // batchGet of the story; the story's poll is defined with a conditional PutItem.
        table: { actions: ['update', 'batchGet', 'put'] },
        bucket: [{ prefix: incoming, actions: ['read', 'delete'] }, ...INGEST_OUTPUTS],
        publishEvents: true,
      },
      timeoutSeconds: 30,
      memoryMb: 512,
    },
    {
      name: 'create-article',
      description: 'Editors post a story page or JSON article; it goes through the same pipeline as a dropped file.',
      trigger: {
        kind: 'http',
        method: 'POST',
        path: '/articles',
        access: 'editor',
        throttle: ROUTE_THROTTLES.articleIngest,
      },
      needs: { table: { actions: ['update', 'batchGet', 'put'] }, bucket: INGEST_OUTPUTS, publishEvents: true },
      timeoutSeconds: 29,
      memoryMb: 512,
    },
    {
      name: 'list-articles',
      description: 'Newest stories first, paged with an opaque cursor.',
      trigger: { kind: 'http', method: 'GET', path: '/articles', access: 'public' },
      needs: { table: { actions: ['queryIndex', 'batchGet'] } },
    },
    {
      name: 'get-article',
      description: 'One story with its counts.',
      trigger: { kind: 'http', method: 'GET', path: '/articles/{articleId}', access: 'public' },
      needs: { table: { actions: ['batchGet', 'get'] } },
    },
    publishArticleChanges,
    {
      name: 'issue-reader-token',
      description:
        'Mints an anonymous reader: a random reader id in a token the backend signs; rate limited per source.',
      trigger: {
        kind: 'http',
        method: 'POST',
        path: '/readers/anonymous',
        access: 'public',
        throttle: ROUTE_THROTTLES.readerVote,
      },
      // The source's issuance counter (update); the source is hashed, the token signed.
      needs: { table: { actions: ['update'] }, readerHashKey: true, readerTokenKey: true },
    },
    {
      name: 'ban-reader',
      description:
        "Editors ban a reader, until a time or until lifted: the reader's posts, votes and flags are refused (403).",
      trigger: { kind: 'http', method: 'PUT', path: '/readers/{readerId}/ban', access: 'editor' },
      // A consistent read of the list of bans in force (get), then one transaction of two puts: the
      // list, conditional on its version, and the reader's history entry.
      needs: { table: { actions: ['get', 'put'] } },
    },
    {
      name: 'unban-reader',
      description: "Editors lift a reader's ban; idempotent.",
      trigger: { kind: 'http', method: 'DELETE', path: '/readers/{readerId}/ban', access: 'editor' },
      needs: { table: { actions: ['get', 'put'] } },
    },
    {
      name: 'get-reader-record',
      description:
        "Editors open a reader: the ban and its history, the reader's comments (with replaced texts) and flags.",
      trigger: { kind: 'http', method: 'GET', path: '/moderation/readers/{readerId}', access: 'editor' },
      // The list of bans (get), ban history and replaced texts (query), comments and flags on gsi3 (queryIndex).
      needs: { table: { actions: ['get', 'query', 'queryIndex'] } },
    },
    {
      name: 'submit-error-report',
      description:
        'Readers report an error on a story; a repeat of the same report from the same source is the same report.',
      trigger: {
        kind: 'http',
        method: 'POST',
        path: '/articles/{articleId}/error-reports',
        access: 'reader',
        throttle: ROUTE_THROTTLES.readerPost,
      },
      // The report (and its contact, in one transaction of two puts), the source's rate-limit counter
      // (update), and the story's existence (get).
      needs: {
        table: { actions: ['get', 'put', 'update'] },
        readerHashKey: true,
        readerTokenKey: true,
        siteSignIn: true,
      },
    },
    {
      name: 'list-error-reports',
      description: "The editors' triage list of error reports by status (and story), newest first.",
      trigger: { kind: 'http', method: 'GET', path: '/error-reports', access: 'editor' },
      needs: { table: { actions: ['queryIndex'] } },
    },
    {
      name: 'get-error-report',
      description: "One error report with its history and, until erased, the reader's contact.",
      trigger: { kind: 'http', method: 'GET', path: '/error-reports/{reportId}', access: 'editor' },
      needs: { table: { actions: ['batchGet'] } },
    },
    {
      name: 'update-error-report',
      description: 'Moves an error report forward; closing it as corrected publishes the correction on the story.',
      trigger: { kind: 'http', method: 'PATCH', path: '/error-reports/{reportId}', access: 'editor' },
      needs: { table: { actions: ['get', 'put', 'update'] } },
    },
    followUpErrorReports,
    {
      name: 'publish-corrections',
      description:
        'Renders articles/<id>.json from the index with the corrections when one is published or a story is ingested.',
      trigger: {
        kind: 'event',
        ruleName: 'corrections-to-article',
        pattern: {
          source: [EVENT_SOURCE],
          $or: [
            {
              'detail-type': [DETAIL_TYPES.errorReportResolved],
              detail: { status: ['corrected'], correction: { text: [{ exists: true }] } },
            },
            // Every ingest that changed the index: a backstop for an ingest that stopped before it
            // rendered the object itself.
            { 'detail-type': [DETAIL_TYPES.articleIngested], detail: { change: ['created', 'updated'] } },
          ],
        },
        retryAttempts: 8,
        maxEventAgeSeconds: 24 * 3600,
      },
      needs: { table: { actions: ['batchGet'] }, bucket: [{ prefix: articles, actions: ['read', 'write'] }] },
    },
    {
      name: 'post-comment',
      description:
        'Readers post a comment or a reply; the moderation rules publish it, hold it for review or refuse it.',
      trigger: {
        kind: 'http',
        method: 'POST',
        path: '/articles/{articleId}/comments',
        access: 'reader',
        throttle: ROUTE_THROTTLES.readerPost,
      },
      // delete: a comment that could not be stored gives back its idempotency record and its
      // duplicate marker, so the reader's retry is not refused.
      needs: {
        table: { actions: ['get', 'batchGet', 'put', 'update', 'delete'] },
        readerHashKey: true,
        readerTokenKey: true,
        siteSignIn: true,
      },
    },
    {
      name: 'list-comments',
      description:
        "A story's visible comments, newest, oldest or top first, with their first replies and the exact total.",
      trigger: { kind: 'http', method: 'GET', path: '/articles/{articleId}/comments', access: 'public' },
      needs: { table: { actions: ['batchGet', 'queryIndex'] } },
    },
    {
      name: 'list-comment-replies',
      description: 'The visible replies of a comment thread, oldest first.',
      trigger: { kind: 'http', method: 'GET', path: '/comments/{commentId}/replies', access: 'public' },
      needs: { table: { actions: ['get', 'queryIndex'] } },
    },
    {
      name: 'vote-on-comment',
      description: 'One vote per reader and comment; a second vote replaces the first.',
      trigger: {
        kind: 'http',
        method: 'POST',
        path: '/comments/{commentId}/votes',
        access: 'reader',
        throttle: ROUTE_THROTTLES.readerVote,
      },
      needs: { table: { actions: ['get', 'update'] }, readerHashKey: true, readerTokenKey: true, siteSignIn: true },
    },
    {
      name: 'flag-comment',
      description: 'One flag per reader and comment; enough flags hide the comment for review.',
      trigger: {
        kind: 'http',
        method: 'POST',
        path: '/comments/{commentId}/flags',
        access: 'reader',
        throttle: ROUTE_THROTTLES.readerPost,
      },
      needs: { table: { actions: ['get', 'put'] }, readerHashKey: true, readerTokenKey: true, siteSignIn: true },
    },
    {
      name: 'edit-own-comment',
      description: 'The author changes the text of their comment within 15 minutes of posting.',
      trigger: {
        kind: 'http',
        method: 'PUT',
        path: '/comments/{commentId}/text',
        access: 'reader',
        throttle: ROUTE_THROTTLES.readerPost,
      },
      needs: {
        table: { actions: ['get', 'update', 'put'] },
        readerHashKey: true,
        readerTokenKey: true,
        siteSignIn: true,
      },
    },
    {
      name: 'delete-own-comment',
      description: 'The author deletes their comment within 15 minutes of posting.',
      trigger: {
        kind: 'http',
        method: 'DELETE',
        path: '/comments/{commentId}',
        access: 'reader',
        throttle: ROUTE_THROTTLES.readerPost,
      },
      needs: { table: { actions: ['get', 'update'] }, readerHashKey: true, readerTokenKey: true, siteSignIn: true },
    },
    {
      name: 'list-moderation-queue',
      description:
        'Comments held by the rules or hidden by flags, for the editors, oldest first, with their story and parent and the count of each queue.',
      trigger: { kind: 'http', method: 'GET', path: '/moderation/comments', access: 'editor' },
      // The queue and its counts (queryIndex); the stories' headings and the parents (batchGet).
      needs: { table: { actions: ['queryIndex', 'batchGet'] } },
    },
    {
      name: 'moderate-comment',
      description:
        'Editors approve, reject, hide or delete a comment, or take back their last approve, reject or hide.',
      trigger: { kind: 'http', method: 'PATCH', path: '/comments/{commentId}', access: 'editor' },
      needs: { table: { actions: ['get', 'update'] } },
    },
    {
      name: 'change-comment-settings',
      description: 'Editors close or reopen comments on a story.',
      trigger: { kind: 'http', method: 'PATCH', path: '/articles/{articleId}/comment-settings', access: 'editor' },
      needs: { table: { actions: ['batchGet', 'put'] } },
    },
    processCommentChanges,
    {
      name: 'get-poll-results',
      description: "A story's poll results without voting; reads only (the poll is defined at ingest).",
      trigger: { kind: 'http', method: 'GET', path: '/articles/{articleId}/poll', access: 'public' },
      // Read-only, like every public GET: the poll definition is written at ingest or by a vote, never
      // by a read, so a crawler on this route cannot write the table.
      needs: { table: { actions: ['batchGet', 'get'] } },
    },
    {
      name: 'cast-poll-vote',
      description:
        'One vote per reader per story, recorded as a single conditional write; tallies follow from the stream.',
      trigger: {
        kind: 'http',
        method: 'POST',
        path: '/articles/{articleId}/poll/votes',
        access: 'reader',
        throttle: ROUTE_THROTTLES.readerVote,
      },
      needs: {
        table: { actions: ['batchGet', 'get', 'put'] },
        readerHashKey: true,
        readerTokenKey: true,
        siteSignIn: true,
      },
    },
    {
      name: 'aggregate-poll-votes',
      description:
        'Adds new votes to the poll tallies, once per story per batch, exactly once however often a batch is delivered.',
      trigger: {
        kind: 'stream',
        // Large batches: one tally write per story per batch, so the write cost per vote nears one unit.
        batchSize: 1000,
        maxBatchingWindowSeconds: 1,
        filters: [VOTE_INSERTS_FILTER],
        retryAttempts: 10,
        // Off: a redelivery must start at a batch start or a reported record, never at a split
        // point inside a story's group (see shared/polls/vote-batches).
        bisectBatchOnError: false,
        startingPosition: 'TRIM_HORIZON',
      },
      needs: { table: { actions: ['get', 'put', 'update'] } },
      timeoutSeconds: 30,
    },
    publishPollTallies,
    streamRouter,
    publishLiveUpdates,
    recordEditorAlerts,
    {
      name: 'list-editor-alerts',
      description:
        "The editors' alerts since a time, newest first, from the list the editor-alert rule keeps; the same list for every editor.",
      trigger: { kind: 'http', method: 'GET', path: '/editor/alerts', access: 'editor' },
      needs: { table: { actions: ['queryIndex'] } },
    },
    {
      name: 'list-top-polls',
      description:
        'The stories with the most votes cast in a period, with their leading reaction, from the day rankings.',
      trigger: { kind: 'http', method: 'GET', path: '/polls/top', access: 'public' },
      needs: { table: { actions: ['queryIndex', 'batchGet'] } },
    },
    {
      name: 'get-openapi',
      description: 'The OpenAPI 3.1 document of the API, generated from the schemas the handlers validate with.',
      trigger: { kind: 'http', method: 'GET', path: '/openapi.json', access: 'public' },
      needs: {},
    },
  ],
  editorAlerts: [
    {
      ruleName: 'editor-alerts',
      description: 'Reader error reports and ingest rejections reach the editors at once.',
      pattern: EDITOR_ALERT_PATTERN,
      retryAttempts: 8,
      maxEventAgeSeconds: 24 * 3600,
    },
  ],
};
