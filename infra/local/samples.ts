import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { describeOutcome, everyStoryIngested, ingestFiles, type FileOutcome } from '../cli/ingest-files';
import { localS3ClientConfig } from './engines/local-clients';
import { REPO_ROOT, type RunningLocalStack } from './local-stack';

/** The demo stories `npm start` loads, so the API has content to show. */
export const SAMPLES_DIR = join(REPO_ROOT, 'samples', 'stories');

/** What became of the sample stories on this start, for the start banner. */
export type SamplesLoad =
  | { kind: 'loaded-now'; outcomes: FileOutcome[] }
  | { kind: 'loaded-before'; at: string; marker: string }
  | { kind: 'no-samples' };

/** The file in the data folder that says the samples were all loaded, and when. */
export const samplesMarkerPath = (dataDir: string): string => join(dataDir, 'samples-loaded');

/**
 * Ingests the sample stories through the drop zone, as `npm run ingest` would, and waits for
 * each outcome, so the banner can say they are loaded (or which one was not, and why). Once all
 * were ingested a marker is written and later starts load nothing: the data folder keeps them.
 */
export async function loadSamplesOnce(stack: RunningLocalStack, dataDir: string): Promise<SamplesLoad> {
  const marker = samplesMarkerPath(dataDir);
  if (existsSync(marker)) return { kind: 'loaded-before', at: (await readFile(marker, 'utf8')).trim(), marker };
  if (!existsSync(SAMPLES_DIR)) return { kind: 'no-samples' };
  const files = (await readdir(SAMPLES_DIR)).sort().map((file) => join(SAMPLES_DIR, file));
  if (files.length === 0) return { kind: 'no-samples' };
  const outcomes = await ingestFiles({
    s3: new S3Client(localS3ClientConfig(stack.endpoints.s3)),
    bucket: stack.endpoints.bucket,
    files,
    timeoutMs: 60_000,
  });
  await stack.idle();
  if (outcomes.every((outcome) => outcome.status === 'ingested')) await writeFile(marker, new Date().toISOString());
  return { kind: 'loaded-now', outcomes };
}

/** The start banner's lines about the samples: how many stories are loaded, and any that are not. */
export function describeSamples(load: SamplesLoad): string[] {
  const folder = `${relative(REPO_ROOT, SAMPLES_DIR)}/`;
  switch (load.kind) {
    case 'no-samples':
      return [`no sample stories (${folder} is missing or empty)`];
    case 'loaded-before':
      return [`sample stories loaded on the first start (${load.at}); delete ${load.marker} to load them again`];
    case 'loaded-now': {
      const failed = load.outcomes.filter((outcome) => !everyStoryIngested([outcome]));
      const total = load.outcomes.length;
      const loaded = total - failed.length;
      const headline =
        failed.length === 0
          ? `${total} sample stories loaded from ${folder}`
          : `${loaded} of ${total} sample stories loaded from ${folder}; not loaded:`;
      return [
        headline,
        ...failed.flatMap((outcome) =>
          describeOutcome({ ...outcome, file: relative(REPO_ROOT, outcome.file) }).map((line) => `  ${line}`),
        ),
      ];
    }
  }
}
