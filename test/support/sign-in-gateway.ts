/**
 * A local HTTP gateway with the user pool domain's imitation (infra/local/oauth.ts) for the desk's
 * client, and one editor route whose handler answers with the editor it was given (or 403, as
 * handlers refuse a caller outside the editors group): enough to sign in as the desk does and call
 * the API with the tokens, without the engines.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningKey, LOCAL_DESK_CLIENT_ID, type LocalSigningKey } from '../../infra/local/auth';
import { startHttpGateway } from '../../infra/local/http-gateway';
import type { LocalFunction } from '../../infra/local/local-function';
import { createLocalOAuth, type LocalEditorAccount } from '../../infra/local/oauth';
import { requireEditor } from '../../shared/http/caller';

export const EDITOR_ROUTE = '/editor/me';

const whoAmI: LocalFunction = {
  declaration: {
    name: 'who-am-i',
    description: 'test',
    trigger: { kind: 'http', method: 'GET', path: EDITOR_ROUTE, access: 'editor' },
    needs: {},
  },
  invoke: async (event) => {
    try {
      const editor = requireEditor(event as never);
      return { statusCode: 200, body: JSON.stringify({ subject: editor.subject }) };
    } catch {
      return { statusCode: 403, body: JSON.stringify({ error: { code: 'forbidden' } }) };
    }
  },
};

export interface SignInGateway {
  readonly url: string;
  readonly deskUrl: string;
  readonly key: LocalSigningKey;
  readonly clientId: string;
  /** The imitation's clock (codes' and refresh tokens' expiry), in epoch milliseconds. */
  clock: number;
}

/** Starts the gateway in a `beforeAll` and stops it in an `afterAll` of the calling file. */
export function withSignInGateway(account: LocalEditorAccount): SignInGateway {
  let dataDir: string | undefined;
  let gateway: Awaited<ReturnType<typeof startHttpGateway>> | undefined;
  let key: LocalSigningKey | undefined;
  const handle = {
    clock: Date.now(),
    clientId: LOCAL_DESK_CLIENT_ID,
    get url() {
      return gateway!.url;
    },
    get deskUrl() {
      return `${gateway!.url}/desk/`;
    },
    get key() {
      return key!;
    },
  };
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'newsroom-sign-in-'));
    key = await loadOrCreateSigningKey(dataDir);
    gateway = await startHttpGateway({
      routes: [{ trigger: whoAmI.declaration.trigger as never, fn: whoAmI }],
      signingKey: key,
      port: 0,
      oauth: createLocalOAuth({
        signingKey: key,
        clientId: LOCAL_DESK_CLIENT_ID,
        redirectUri: () => handle.deskUrl,
        account,
        now: () => handle.clock,
      }),
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return handle;
}
