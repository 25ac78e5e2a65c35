/**
 * `npx tsx infra/cli/write-widget.ts DIR` writes the reader widget as the stack deploys it (the
 * loader and its content-hashed chunks) into DIR, for a site that serves it from its own origin
 * (docs/embedding.md, Self-hosting), and prints each file with the Cache-Control to serve it with.
 */
import { writeWidget } from '../widget/build-widget';

async function main(): Promise<number> {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir || rest.length > 0) {
    console.error('usage: npx tsx infra/cli/write-widget.ts DIR');
    return 2;
  }
  for (const file of await writeWidget(dir)) console.log(`${file.name}\t${file.cacheControl}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
