/**
 * The desk's rules (web/desk/src/choices.ts): the moves it offers for a report are exactly the
 * ones the API's workflow accepts (forward only), and a ban's end follows the editor's choice.
 */
import { banEnd, forwardMoves } from '../../../web/desk/src/choices';
import { assertForwardMove, ERROR_REPORT_STATUSES } from '../../../shared/error-reports/report';

describe("the desk's choices", () => {
  it.each(ERROR_REPORT_STATUSES)('offers from %s exactly the moves the API accepts', (from) => {
    const accepted = ERROR_REPORT_STATUSES.filter((to) => {
      try {
        assertForwardMove(from, to);
        return true;
      } catch {
        return false;
      }
    });

    expect(forwardMoves(from)).toEqual(accepted);
  });

  it('ends a ban after the days chosen, never for "until lifted", and at the time given', () => {
    const now = Date.parse('2030-01-01T00:00:00.000Z');

    expect(banEnd('1d', now, '')).toEqual(new Date('2030-01-02T00:00:00.000Z'));
    expect(banEnd('30d', now, '2031-01-01T00:00')).toEqual(new Date('2030-01-31T00:00:00.000Z'));
    expect(banEnd('forever', now, '')).toBeNull();
    expect(banEnd('until', now, '')).toBe('missing');
    expect(banEnd('until', now, 'not a time')).toBe('missing');
    expect(banEnd('until', now, '2030-02-01T12:30')).toEqual(new Date('2030-02-01T12:30'));
  });
});
