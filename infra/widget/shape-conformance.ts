/**
 * The reader widget's view of the API's shapes (`web/widget/src/shapes.ts`) held against their one
 * definition, by the type checker alone: the widget is type-checked with the DOM and without Node,
 * so it cannot import the server's schemas, and this file is where the two meet. Each line fails
 * `tsc` when the server's shape stops being assignable to what the widget reads.
 */
import type { Correction } from '../../shared/articles/corrections';
import type { ArticleView } from '../../shared/articles/article-shapes';
import type { CommentListing, CommentView, RepliesPage, ThreadView } from '../../shared/comments/comment-shapes';
import type { LiveMessage } from '../../shared/live/live-shapes';
import type { OptionResult, PollResults, ResultsWithVote } from '../../shared/polls/poll-shapes';
import type * as Widget from '../../web/widget/src/shapes';

/** Compiles only when `Server` can be used where the widget expects `WidgetReads`. */
type Conforms<Server extends WidgetReads, WidgetReads> = [Server, WidgetReads];

export type WidgetShapeConformance = [
  Conforms<OptionResult, Widget.PollOptionResult>,
  Conforms<PollResults, Widget.PollResults>,
  Conforms<ResultsWithVote, Widget.ResultsWithVote>,
  Conforms<CommentView, Widget.CommentView>,
  Conforms<ThreadView, Widget.ThreadView>,
  Conforms<CommentListing, Widget.CommentListing>,
  Conforms<RepliesPage, Widget.RepliesPage>,
  Conforms<Correction, Widget.Correction>,
  Conforms<ArticleView, Widget.StoryCorrections>,
  Conforms<LiveMessage, Widget.LiveMessage>,
];
