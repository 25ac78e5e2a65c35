import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { Clock } from '../ports';
import type { ErrorReportStore } from './error-report-store';
import { assertForwardMove, isClosed, type StatusMove } from './report';
import type { ErrorReport, StatusChange } from './report-schema';

export interface MoveDependencies {
  reports: ErrorReportStore;
  clock: Clock;
}

/**
 * An editor moves a report forward. The write is conditional on the status version read here,
 * so two editors racing cannot both move it: the loser gets a 409 naming the new status.
 */
export async function moveErrorReport(deps: MoveDependencies, move: StatusMove): Promise<ErrorReport> {
  if (move.correction !== null && move.status !== 'corrected') {
    throw new ValidationError('A correction is published only when closing as corrected', [
      { path: 'body.correction', message: 'Allowed only with status "corrected"' },
    ]);
  }
  const current = await deps.reports.get(move.reportId);
  if (!current) throw new NotFoundError(`No error report ${move.reportId}`);
  assertForwardMove(current.status, move.status);

  const next = nextState(current, move, deps.clock.now().toISOString());
  if (!(await deps.reports.move(current, next))) {
    const latest = await deps.reports.get(move.reportId);
    throw new ConflictError(`The report was changed meanwhile and is now ${latest?.status ?? 'gone'}`);
  }
  return next;
}

function nextState(current: ErrorReport, move: StatusMove, at: string): ErrorReport {
  const change: StatusChange = {
    status: move.status,
    at,
    by: move.editor,
    ...(move.note !== null ? { note: move.note } : {}),
  };
  return {
    ...current,
    status: move.status,
    statusVersion: current.statusVersion + 1,
    updatedAt: at,
    closedAt: isClosed(move.status) ? at : null,
    correction: move.correction !== null ? { text: move.correction, correctedAt: at } : null,
    history: [...current.history, change],
  };
}
