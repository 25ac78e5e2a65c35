import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { handlerEntry, type FunctionDeclaration } from '../topology';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** A topology function loaded in this process, invoked the way the Lambda runtime invokes it. */
export interface LocalFunction {
  declaration: FunctionDeclaration;
  invoke(event: unknown): Promise<unknown>;
}

const DEFAULT_TIMEOUT_SECONDS = 10;

export class FunctionTimeoutError extends Error {
  constructor(name: string, seconds: number) {
    super(`${name}: Task timed out after ${seconds} seconds`);
    this.name = 'FunctionTimeoutError';
  }
}

/**
 * Imports the function's handler module — the same file `NodejsFunction` bundles — and wraps
 * it with a Lambda-like context and the declared timeout. The module is imported only after the
 * local stack has set the environment, exactly as Lambda sets it before the module loads.
 */
export async function loadLocalFunction(declaration: FunctionDeclaration, repoRoot: string): Promise<LocalFunction> {
  const modulePath = resolve(repoRoot, handlerEntry(declaration));
  const loaded = (await import(modulePath)) as { handler?: LambdaHandler };
  const handler = loaded.handler;
  if (typeof handler !== 'function') throw new Error(`${modulePath} does not export a handler`);
  const timeoutSeconds = declaration.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;

  return {
    declaration,
    async invoke(event) {
      const deadline = Date.now() + timeoutSeconds * 1000;
      const context = lambdaContext(declaration, deadline);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new FunctionTimeoutError(declaration.name, timeoutSeconds)),
          timeoutSeconds * 1000,
        );
      });
      try {
        return await Promise.race([handler(event, context), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function lambdaContext(declaration: FunctionDeclaration, deadline: number): Context {
  const functionName = `local-${declaration.name}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(declaration.memoryMb ?? 256),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
