/**
 * The response shapes of the poll routes, each defined once as a schema: the types the domain
 * returns are their outputs, and the API contract (shared/http/contracts) describes and checks
 * the responses with the very same schemas. The domain and the handlers import this module with
 * `import type` only: schemas built at a module's top level are not tree-shaken, so a runtime
 * import would carry all of them into a bundle that never uses one.
 */
import * as z from '../validation';

export const pollOptionSchema = z.strictObject({
  /** Stable id, derived from the label (`Too little, too late` → `too-little-too-late`). */
  id: z.string(),
  label: z.string(),
});
export type PollOption = z.output<typeof pollOptionSchema>;

/** An option with its votes and its whole-percent share of them. */
export const optionResultSchema = z.strictObject({ ...pollOptionSchema.shape, votes: z.number(), percent: z.number() });
export type OptionResult = z.output<typeof optionResultSchema>;

/** What `GET /articles/{articleId}/poll` returns, and what a vote answers with. */
export const pollResultsSchema = z.strictObject({
  question: z.string(),
  options: z.array(optionResultSchema),
  totalVotes: z.number(),
  updatedAt: z.nullable(z.string()),
});
export type PollResults = z.output<typeof pollResultsSchema>;

/** The vote that stands for this reader. */
export const yourVoteSchema = z.strictObject({ option: z.string(), label: z.string(), votedAt: z.string() });
export type YourVote = z.output<typeof yourVoteSchema>;

/** The results with the reader's vote: a recorded vote's answer, and a second vote's beside its error. */
export const resultsWithVoteSchema = z.strictObject({ ...pollResultsSchema.shape, yourVote: yourVoteSchema });
export type ResultsWithVote = z.output<typeof resultsWithVoteSchema>;

export const topPollSchema = z.strictObject({
  articleId: z.string(),
  headline: z.string(),
  question: z.string(),
  /** Votes cast in the period. */
  totalVotes: z.number(),
  /** The reaction with the most votes in the period, with its share of them. */
  leadingReaction: z.nullable(optionResultSchema),
});
export type TopPoll = z.output<typeof topPollSchema>;

export const topPollsSchema = z.strictObject({
  /** First and last UTC day of the period. */
  from: z.string(),
  to: z.string(),
  items: z.array(topPollSchema),
});
export type TopPolls = z.output<typeof topPollsSchema>;
