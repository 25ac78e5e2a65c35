/**
 * What the widget reads of the API's answers and of live messages: the fields it uses and no
 * more. Types only, with no DOM and no imports, so the server's type check can hold them against
 * the one definition of each shape (`infra/widget/shape-conformance.ts`): a field the widget reads
 * that the API no longer sends, or sends as another type, fails `tsc`.
 */

/**
 * The deployment's `config.json`, written beside the loader: by the CDK stack at deploy, by the
 * local stack when it serves the widget.
 */
export interface DeployedConfig {
  /** Where writes go: the HTTP API. */
  api: string;
  /** Where public reads go: the CDN in AWS, the same origin locally. */
  reads: string;
  /** Where live updates come from (the Event API in AWS, its imitation locally); null: polling. */
  live: LiveConfig | null;
}

export interface LiveConfig {
  /** `wss://<realtime domain>/event/realtime` (the local stack: `ws://127.0.0.1:<port>/event/realtime`). */
  realtimeUrl: string;
  /** The Event API's HTTP host, which every authorization carries (the `header-` subprotocol's too). */
  host: string;
  /** The public, subscribe-only API key. */
  apiKey: string;
}

export interface PollOptionResult {
  id: string;
  label: string;
  votes: number;
  percent: number;
}

export interface PollResults {
  question: string;
  options: PollOptionResult[];
  totalVotes: number;
  updatedAt: string | null;
}

/** A vote's answer (201), or a second vote's refusal (409): the results and the vote that stands. */
export interface ResultsWithVote extends PollResults {
  yourVote: { option: string };
}

export interface CommentView {
  id: string;
  parentId: string | null;
  author: string | null;
  verified: boolean;
  body: string;
  createdAt: string;
  edited: boolean;
  status: string;
  score: number;
  replyCount: number;
}

export interface ThreadView extends CommentView {
  replies: CommentView[];
  repliesCursor: string | null;
}

export interface CommentListing {
  items: ThreadView[];
  total: number;
  nextCursor: string | null;
  commentsOpen: boolean;
}

export interface RepliesPage {
  items: CommentView[];
  nextCursor: string | null;
}

export interface Correction {
  text: string;
  correctedAt: string;
}

/** What the widget reads of a story (`GET /articles/{articleId}`). */
export interface StoryCorrections {
  corrections: Correction[];
}

export type LiveMessage =
  | {
      kind: 'poll';
      articleId: string;
      version: number;
      question: string;
      options: PollOptionResult[];
      totalVotes: number;
      updatedAt: string;
    }
  | { kind: 'comment'; articleId: string; version: number; comment: CommentView }
  | { kind: 'comment-removed'; articleId: string; commentId: string; version: number }
  | { kind: 'corrections'; articleId: string; corrections: Correction[] };
