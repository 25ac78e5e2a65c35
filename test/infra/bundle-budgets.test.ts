/**
 * The size budget of every function's bundle, built exactly as the construct ships it, as a
 * multiple of the DynamoDB-client-only bundle built the same way (goals in bench/bundle-goals).
 * Sizes are deterministic for a lock file, so this is a test; load times are only benchmarked.
 */
import { bundleLikeTheConstruct } from '../../infra/constructs/bundle-like-the-construct';
import { topology } from '../../infra/topology';
import { BASELINE, BUNDLE_CLASS_OF, BUNDLE_GOALS, bundleTargets } from '../../bench/bundle-goals';

jest.setTimeout(120_000);

let bundles: Map<string, Uint8Array>;
let baselineBytes: number;
beforeAll(async () => {
  bundles = await bundleLikeTheConstruct(bundleTargets());
  baselineBytes = bundles.get(BASELINE)!.length;
});

it('has a goal for every function, and only for functions that exist', () => {
  expect([...BUNDLE_CLASS_OF.keys()].sort()).toEqual(topology.functions.map((fn) => fn.name).sort());
});

it('measures against a baseline of a real SDK client, not an empty file', () => {
  expect(baselineBytes).toBeGreaterThan(200 * 1024);
});

it.each(topology.functions.map((fn) => [fn.name]))('%s stays within its size budget', (name) => {
  const bundleClass = BUNDLE_CLASS_OF.get(name) ?? 'other';
  const bytes = bundles.get(name)!.length;
  const measured = {
    name,
    bundleClass,
    kilobytes: Math.round(bytes / 1024),
    ratio: Number((bytes / baselineBytes).toFixed(2)),
  };
  // The figures in the compared value, so a failure reads as a sentence.
  expect({ ...measured, withinGoal: bytes <= BUNDLE_GOALS[bundleClass] * baselineBytes }).toEqual({
    ...measured,
    withinGoal: true,
  });
});
