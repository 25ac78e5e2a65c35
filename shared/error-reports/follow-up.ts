import type { EventPublisher } from '../ports';
import type { OpenCountChange, ReportChangeEffects } from './report-changes';

/** The story's count of open reports, kept from the reports' status changes. */
export interface OpenReportCounts {
  /**
   * Adds the change's delta to the story's `counts.errorReports`, once per change: false (and
   * nothing written) when this change was counted before, e.g. by an earlier delivery.
   */
  countOpenChange(change: OpenCountChange): Promise<boolean>;
}

export interface FollowUpDependencies {
  contacts: { expireContact(reportId: string, expiresAt: number): Promise<void> };
  counts: OpenReportCounts;
  events: EventPublisher;
}

/**
 * Carries out what a committed report change implies. Every step is idempotent (a count change
 * applied once per status version, a fixed expiry time), so a retried stream record repeats them
 * harmlessly; the event goes last, so whoever reacts to it already sees the new count.
 */
export async function followUpReportChange(deps: FollowUpDependencies, effects: ReportChangeEffects): Promise<void> {
  if (effects.eraseContactAt !== null) await deps.contacts.expireContact(effects.reportId, effects.eraseContactAt);
  if (effects.openCountChange) await deps.counts.countOpenChange(effects.openCountChange);
  await deps.events.publish([effects.event]);
}
