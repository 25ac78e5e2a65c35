import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLES_DIR, constructBuildOptions } from './function-defaults';

/**
 * Bundles entries exactly as `NewsFunction` ships them (esbuild, minified ESM for the runtime's
 * Node, the same main fields and `require` banner), without source maps. The bench measures
 * load times on these bundles and the budget test their sizes, so both see what deploys. One
 * esbuild run builds them all (each output still a standalone bundle, as no splitting is on).
 *
 * @param entries bundle name → entry file
 * @returns bundle name → the bundle's code
 */
export async function bundleLikeTheConstruct(entries: ReadonlyMap<string, string>): Promise<Map<string, Uint8Array>> {
  const result = await build({
    // Output paths by position: bundle names need not be file names.
    entryPoints: [...entries.values()].map((file, index) => ({ in: file, out: `bundle-${index}` })),
    ...constructBuildOptions(),
    outdir: join(BUNDLES_DIR, 'budget'),
    write: false,
  });
  const byOutputName = new Map(result.outputFiles.map((output) => [basename(output.path), output.contents]));
  return new Map(
    [...entries.keys()].map((name, index) => {
      const code = byOutputName.get(`bundle-${index}.mjs`);
      if (!code) throw new Error(`esbuild produced no bundle for ${name}`);
      return [name, code] as const;
    }),
  );
}
