/**
 * Local functions are isolated like Lambdas (issue 11): a local stack of probe functions
 * (test/fixtures/handlers) shows that each function sees only its own environment and module
 * instances, is refused — with AWS's error — any table action, bucket prefix or action, bus or
 * secret its declaration does not grant, cannot write after its timeout, is held to its memory,
 * and that cold starts are logged with their init duration.
 */
import { randomUUID } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { FunctionOutputLine } from '../../infra/local/local-function';
import type { FunctionDeclaration, ResourceNeeds, Topology } from '../../infra/topology';
import type { Probe } from '../fixtures/handlers/probe';
import { http } from '../support/http';
import { withLocalStack } from '../support/local-stack';
import { waitFor } from '../support/wait-for';

const PROBE = 'test/fixtures/handlers/probe.ts';

function probeFunction(
  name: string,
  needs: ResourceNeeds,
  size: Pick<FunctionDeclaration, 'timeoutSeconds' | 'memoryMb'> = {},
): FunctionDeclaration {
  return {
    name,
    description: `Probe ${name}`,
    trigger: { kind: 'http', method: 'POST', path: `/probe/${name}`, access: 'public' },
    needs,
    ...size,
  };
}

const topology: Topology = {
  functions: [
    // Reads the table and articles/, and nothing else.
    probeFunction('reader', { table: { actions: ['get'] }, bucket: [{ prefix: 'articles/', actions: ['read'] }] }),
    probeFunction('publisher', { publishEvents: true, readerHashKey: true }),
    probeFunction('bare', {}),
    probeFunction('late-writer', { bucket: [{ prefix: 'articles/', actions: ['write'] }] }, { timeoutSeconds: 1 }),
    probeFunction('small', {}, { memoryMb: 128 }),
    {
      name: 'reads-undeclared-bucket',
      description: 'Reads BUCKET_NAME without declaring a bucket',
      trigger: { kind: 'http', method: 'GET', path: '/undeclared', access: 'public' },
      needs: {},
    },
  ],
};

const output: FunctionOutputLine[] = [];
const local = withLocalStack({
  name: 'isolation',
  topology,
  handlerEntries: {
    ...Object.fromEntries(topology.functions.map((fn) => [fn.name, PROBE])),
    'reads-undeclared-bucket': 'test/fixtures/handlers/reads-undeclared-bucket.ts',
  },
  handlerLogLevel: 'INFO',
  handlerOutput: (line) => output.push(line),
  env: { HOST_ONLY_VARIABLE: 'the host keeps this to itself' },
});

type ProbeReply =
  { outcome: 'done'; result: any } | { outcome: 'failed'; name: string; status?: number; message: string };

async function probe(name: string, body: Probe): Promise<ProbeReply> {
  const reply = await http<ProbeReply>(`${local.api}/probe/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (reply.status !== 200) throw new Error(`${name} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

const reportLines = (name: string) => local.logLines.filter((line) => line.startsWith(`${name} REPORT RequestId: `));
const denied = (action: string) => ({
  outcome: 'failed',
  message: expect.stringMatching(new RegExp(`^User: \\S+ is not authorized to perform: ${action} on resource: `)),
});

describe('grants are enforced outside the function, with the errors AWS returns', () => {
  it('table: a declared action goes through, an undeclared one is AccessDeniedException (400)', async () => {
    expect(await probe('reader', { op: 'table-get' })).toMatchObject({ outcome: 'done' });
    expect(await probe('reader', { op: 'table-put' })).toEqual({
      ...denied('dynamodb:PutItem'),
      name: 'AccessDeniedException',
      status: 400,
    });
    expect(local.logLines).toContainEqual(
      expect.stringMatching(/^reader AccessDenied: dynamodb:PutItem on arn:aws:dynamodb:/),
    );
  });

  it('bucket: an undeclared action, or a declared one under another prefix, is AccessDenied (403)', async () => {
    // Allowed, so S3 answers for the missing key itself.
    expect(await probe('reader', { op: 'object-get', key: 'articles/nothing.json' })).toMatchObject({
      name: 'NoSuchKey',
      status: 404,
    });
    expect(await probe('reader', { op: 'object-put', key: 'articles/new.json' })).toEqual({
      ...denied('s3:PutObject'),
      name: 'AccessDenied',
      status: 403,
    });
    expect(await probe('reader', { op: 'object-get', key: 'raw/anything.txt' })).toEqual({
      ...denied('s3:GetObject'),
      name: 'AccessDenied',
      status: 403,
    });
  });

  it('bus: a function that does not publish is AccessDeniedException (400), one that does publishes', async () => {
    const busName = local.stack.endpoints.eventBus;

    expect(await probe('publisher', { op: 'put-event', busName })).toMatchObject({
      outcome: 'done',
      result: { FailedEntryCount: 0 },
    });
    expect(await probe('reader', { op: 'put-event', busName })).toEqual({
      ...denied('events:PutEvents'),
      name: 'AccessDeniedException',
      status: 400,
    });
  });

  it("secret: the extension refuses a function that does not declare it with Secrets Manager's AccessDeniedException", async () => {
    const { readerHashKeySecret, functions } = local.stack.endpoints;
    const read = { op: 'read-secret', secretId: readerHashKeySecret, port: functions.secretsExtensionPort } as const;

    expect(await probe('publisher', read)).toMatchObject({
      result: { status: 200, body: { ARN: readerHashKeySecret, SecretString: expect.any(String) } },
    });
    expect(await probe('reader', read)).toMatchObject({
      result: {
        status: 400,
        body: {
          __type: 'AccessDeniedException',
          Message: expect.stringContaining(`secretsmanager:GetSecretValue on resource: ${readerHashKeySecret}`),
        },
      },
    });
  });
});

describe('each function is its own sandbox', () => {
  it('sees exactly the environment computed for it: no other function’s variables, nothing of the host', async () => {
    // Powertools adds its user-agent id to process.env when it loads, in Lambda too: the function's own doing.
    const envOf = async (name: string) => {
      const reply = await probe(name, { op: 'env' });
      if (reply.outcome !== 'done') throw new Error(`${name} could not report its environment`);
      const { AWS_SDK_UA_APP_ID: _setByPowertools, ...environment } = reply.result as Record<string, string>;
      return environment;
    };
    const setupOf = (name: string) => local.stack.functions.find((fn) => fn.name === name)!.environment;

    const reader = await envOf('reader');
    const bare = await envOf('bare');

    expect(reader).toEqual(setupOf('reader'));
    expect(bare).toEqual(setupOf('bare'));
    expect(reader).toMatchObject({
      TABLE_NAME: local.stack.endpoints.table,
      BUCKET_NAME: local.stack.endpoints.bucket,
      AWS_LAMBDA_FUNCTION_NAME: 'local-reader',
    });
    expect(Object.keys(bare)).not.toContain('TABLE_NAME');
    expect(Object.keys(bare)).not.toContain('BUCKET_NAME');
    expect(Object.keys(bare)).not.toContain('HOST_ONLY_VARIABLE');
    expect(Object.keys(bare)).not.toContain('TEST_DYNAMODB_ENDPOINT');
    expect(bare.AWS_ACCESS_KEY_ID).not.toBe(reader.AWS_ACCESS_KEY_ID);
  });

  it("logs each function's own Lambda context, however their invocations interleave", async () => {
    const marker = randomUUID();

    // The reader logs last, after the bare function's invocation set its context.
    await Promise.all([
      probe('reader', { op: 'log', afterMs: 800, message: `reader ${marker}` }),
      probe('bare', { op: 'log', afterMs: 0, message: `bare ${marker}` }),
    ]);

    await waitFor(() => output.filter((line) => line.text.includes(marker)).length === 2, {
      description: 'both log lines',
    });
    const logged = output
      .filter((line) => line.text.includes(marker))
      .map((line) => ({
        from: line.functionName,
        ...(JSON.parse(line.text) as { message: string; function_name: string }),
      }));
    expect(
      logged
        .map(({ from, message, function_name }) => ({ from, message, function_name }))
        .sort((a, b) => a.from.localeCompare(b.from)),
    ).toEqual([
      { from: 'bare', message: `bare ${marker}`, function_name: 'local-bare' },
      { from: 'reader', message: `reader ${marker}`, function_name: 'local-reader' },
    ]);
  });

  it('logs the init duration of a cold start, as the REPORT line of its first invocation', async () => {
    const before = reportLines('bare').length;

    await probe('bare', { op: 'table-get' }); // fails (no table declared), but runs
    await probe('bare', { op: 'env' });

    // `bare` ran before in this file: its sandbox is warm, so neither call started one.
    expect(before).toBeGreaterThanOrEqual(1);
    expect(reportLines('bare')).toHaveLength(before);
    expect(reportLines('bare')[0]).toMatch(
      /^bare REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms$/,
    );
  });

  it('stops a handler at its timeout: it cannot write afterwards, and the next call starts a new sandbox', async () => {
    const key = `articles/late-${randomUUID()}.json`;
    // A warm sandbox first, so the call after the timeout shows whether it was discarded.
    await probe('late-writer', { op: 'write-after', afterMs: 0, key: `articles/early-${randomUUID()}.json` });
    expect(reportLines('late-writer')).toHaveLength(1);

    const timedOut = await http(`${local.api}/probe/late-writer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'write-after', afterMs: 2_000, key } satisfies Probe),
    });

    expect(timedOut.status).toBe(500);
    expect(local.logLines).toContainEqual(expect.stringMatching(/^late-writer \S+ Task timed out after 1\.00 seconds/));
    // Past the moment the handler would have written, had it kept running.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const head = await local.s3.send(new HeadObjectCommand({ Bucket: local.stack.endpoints.bucket, Key: key })).then(
      () => 'written',
      (error: { name: string }) => error.name,
    );
    expect(head).toBe('NotFound');
    // The timed-out sandbox is gone: the next invocation is a cold start again.
    expect(await probe('late-writer', { op: 'write-after', afterMs: 0, key })).toMatchObject({ outcome: 'done' });
    expect(reportLines('late-writer')).toHaveLength(2);
  });

  it('holds a function to its memory: past the heap limit the invocation fails and the next starts afresh', async () => {
    expect(await probe('small', { op: 'allocate', megabytes: 16 })).toEqual({ outcome: 'done', result: 16 });

    const exhausted = await http(`${local.api}/probe/small`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'allocate', megabytes: 1024 } satisfies Probe),
    });

    expect(exhausted.status).toBe(500);
    expect(local.logLines).toContainEqual(
      expect.stringMatching(/^small sandbox crashed: Runtime\.OutOfMemory: .*128 MB/),
    );
    // A new sandbox: what the old one kept is gone.
    expect(await probe('small', { op: 'allocate', megabytes: 1 })).toEqual({ outcome: 'done', result: 1 });
  });

  it('fails a handler that reads a resource it did not declare, at cold start, as in AWS', async () => {
    const reply = await http(`${local.api}/undeclared`);

    expect(reply.status).toBe(500);
    expect(local.logLines).toContainEqual(
      expect.stringMatching(
        /^reads-undeclared-bucket INIT_REPORT .*Status: error\tError Type: MissingConfigurationError$/,
      ),
    );
  });
});
