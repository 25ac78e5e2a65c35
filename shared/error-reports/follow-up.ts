import type { EventPublisher } from '../ports';
import type { ReportChangeEffects } from './report-changes';

export interface FollowUpDependencies {
  contacts: { expireContact(reportId: string, expiresAt: number): Promise<void> };
  counts: { recountOpen(articleId: string): Promise<number> };
  events: EventPublisher;
}

/**
 * Carries out what a committed report change implies. Every step is idempotent (an absolute
 * count, a fixed expiry time), so a retried stream record repeats them harmlessly; the event goes
 * last, so whoever reacts to it already sees the new count.
 */
export async function followUpReportChange(deps: FollowUpDependencies, effects: ReportChangeEffects): Promise<void> {
  if (effects.eraseContactAt !== null) await deps.contacts.expireContact(effects.reportId, effects.eraseContactAt);
  if (effects.recountOpen) await deps.counts.recountOpen(effects.articleId);
  await deps.events.publish([effects.event]);
}
