/**
 * The reader widget's view of the API's shapes (`web/widget/src/shapes.ts`) held against their one
 * definition, by the type checker alone: the widget is type-checked with the DOM and without Node,
 * so it cannot import the server's schemas, and this file is where the two meet. Each line fails
 * `tsc` when the server's shape stops being assignable to what the widget reads.
 */
import type { Correction } from '../../shared/articles/corrections';
import type { CommentView } from '../../shared/comments/comment-shapes';
import type { LiveMessage } from '../../shared/live/live-shapes';
import type { OptionResult } from '../../shared/polls/poll-shapes';
import type * as Widget from '../../web/widget/src/shapes';

/** Compiles only when `Server` can be used where the widget expects `WidgetReads`. */
type Conforms<Server extends WidgetReads, WidgetReads> = [Server, WidgetReads];

export type WidgetShapeConformance = [
  Conforms<OptionResult, Widget.PollOptionResult>,
  Conforms<CommentView, Widget.CommentView>,
  Conforms<Correction, Widget.Correction>,
  Conforms<LiveMessage, Widget.LiveMessage>,
];
