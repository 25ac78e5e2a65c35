/**
 * `npm start`: the whole backend on this machine, on embedded engines, with the same handlers
 * that run in Lambda. Data persists in LOCAL_DATA_DIR (default `.local/`) across restarts.
 */
// First, before any SDK client exists: see the module's comment.
import './quiet-sdk-node-warning';
import { join } from 'node:path';
import { API_REFERENCE_PATH } from '../api-reference/api-reference';
import { localDataDir, localPort } from './data-dir';
import { editorInboxPath } from './editor-alerts';
import { startLocalStack } from './local-stack';
import { localEditorAccount } from './oauth';
import { describeSamples, loadSamplesOnce } from './samples';

async function main(): Promise<void> {
  const dataDir = localDataDir();
  const started = Date.now();
  const editor = localEditorAccount();
  const stack = await startLocalStack({
    dataDir,
    editorAccount: editor,
    port: localPort(),
    log: (line) => console.log(`[local] ${line}`),
    handlerLogLevel: process.env.POWERTOOLS_LOG_LEVEL || 'WARN',
    // An open terminal all day: the stream readers back off to a second while nothing is written.
    idlePollMaxMs: 1000,
  });
  // Registered before the samples load, so Ctrl-C at any point still stops the engines.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack…`);
    await stack.stop();
    console.log('Stopped. Data kept in', dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // Loaded before the banner, so the banner can say whether they are in.
  const samples = describeSamples(await loadSamplesOnce(stack, dataDir));
  const { endpoints } = stack;
  console.log(`\nNewsroom local stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  API       ${endpoints.api}`);
  console.log(`  Widget    ${endpoints.api}/  (the stories as news pages, with the reader widget)`);
  console.log(`  Desk      ${endpoints.deskUrl}  (editors)`);
  console.log(
    `            sign in as ${editor.email} / ${editor.passwordIsDefault ? editor.password : '(LOCAL_EDITOR_PASSWORD)'}`,
  );
  console.log(`  API docs  ${endpoints.api}${API_REFERENCE_PATH}  (the OpenAPI document, with "Try it out")`);
  console.log(`  S3        ${endpoints.s3}  (bucket ${endpoints.bucket})`);
  console.log(`  DynamoDB  ${endpoints.dynamodb}  (table ${endpoints.table})`);
  console.log(`  Live      ${endpoints.liveRealtimeUrl}  (publish: POST ${endpoints.liveHttpUrl}, signed)`);
  console.log(`  Events    ${join(dataDir, 'events.jsonl')}`);
  console.log(`  Inbox     ${editorInboxPath(dataDir)}  (editor alerts)`);
  console.log(`  Endpoints ${join(dataDir, 'endpoints.json')}`);
  console.log(`  Functions ${stack.functions.length}, each in worker threads of its own, held to its grants`);
  for (const [i, line] of samples.entries()) console.log(`  ${i === 0 ? 'Samples  ' : '         '} ${line}`);
  console.log('Try: curl -s ' + `${endpoints.api}/articles | head -c 600`);
  console.log('Press Ctrl-C to stop.\n');
}

main().catch((error: unknown) => {
  console.error('The local stack could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
