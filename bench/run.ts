/**
 * `npm run bench [-- NAME...]`: performance figures, measured side by side in one run.
 * Benchmarks are scripts, never timed tests, which flake on shared machines.
 *   bundles  each function's minified bundle size and load time vs. a DynamoDB-client-only bundle
 */
import { benchBundles } from './bundles';

const BENCHMARKS: Record<string, () => Promise<void>> = {
  bundles: () => benchBundles({ rounds: Number(process.env.BENCH_ROUNDS || 7) }),
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const selected = names.length ? names : Object.keys(BENCHMARKS);
  for (const name of selected) {
    const run = BENCHMARKS[name];
    if (!run) throw new Error(`Unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
    await run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
