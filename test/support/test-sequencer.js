/**
 * The order jest starts test files in. With the durations of an earlier run (jest keeps them in
 * its cache), jest's own order is best: failed files first, then the longest. A fresh clone has
 * none, and jest then starts the largest files first, which put the quick unit files at the
 * start, beside the type checks and the engines' start, and the minute-long browser and
 * end-to-end files at the end, where one of them ran alone on one worker while the other waited:
 * `npm test` took about a minute longer on a fresh clone than on a second run. Without durations
 * this starts the kinds that take longest first (browser, end-to-end, integration, CDK, unit),
 * keeping jest's size order within each kind.
 */
const Sequencer = require('@jest/test-sequencer').default;

const KINDS_LONGEST_FIRST = ['/test/browser/', '/test/e2e/', '/test/integration/', '/test/infra/', '/test/unit/'];

const kindRank = (path) => {
  const rank = KINDS_LONGEST_FIRST.findIndex((folder) => path.replaceAll('\\', '/').includes(folder));
  return rank === -1 ? KINDS_LONGEST_FIRST.length : rank;
};

class LongestKindsFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    // Array sort is stable: within a kind, jest's order (largest file first) stays.
    return [...sorted].sort((a, b) => kindRank(a.path) - kindRank(b.path));
  }
}

module.exports = LongestKindsFirstSequencer;
