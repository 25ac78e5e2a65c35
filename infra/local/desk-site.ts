import { EDITOR_GROUP } from '../../shared/http/caller';
import { buildDesk } from '../desk/build-desk';
import { DESK_CACHE_CONTROL, DESK_PATH, DESK_SCOPES, deskSecurityHeaders } from '../desk/desk-app';
import type { DeskConfig } from '../../web/desk/src/shapes';
import type { SiteResponse, StaticSite } from './widget-site';

/**
 * The editor desk as the local stack serves it on the API's origin, as the CDN does in AWS:
 * `/desk/` (the page), its content-hashed script and styles, and `/desk/config.json` naming the
 * API and the sign-in endpoints, which locally are the stack's imitation of the user pool
 * domain's (infra/local/oauth.ts) on the same origin. The same headers as the CDN's, except that
 * the page and config.json are revalidated on every load, so a restarted stack's new build (or
 * port) shows at once rather than after the CDN's five minutes.
 */
export async function createDeskSite(origin: () => string, clientId: string): Promise<StaticSite> {
  const files = await buildDesk();
  const headers = () => deskSecurityHeaders([origin()]);
  return {
    serve(pathname): SiteResponse | null {
      if (pathname === DESK_PATH.slice(0, -1)) {
        return { status: 301, headers: { location: DESK_PATH, 'cache-control': 'no-store' }, body: '' };
      }
      if (!pathname.startsWith(DESK_PATH)) return null;
      const name = pathname.slice(DESK_PATH.length) || 'index.html';
      if (name === 'config.json') {
        return {
          status: 200,
          headers: { ...headers(), 'content-type': 'application/json', 'cache-control': 'no-cache' },
          body: JSON.stringify(localDeskConfig(origin(), clientId)),
        };
      }
      const file = files.get(name);
      if (!file) return null;
      return {
        status: 200,
        headers: {
          ...headers(),
          'content-type': file.contentType,
          'cache-control': file.immutable ? DESK_CACHE_CONTROL.hashed : 'no-cache',
        },
        body: file.bytes,
      };
    },
  };
}

/** The desk's address on the local stack: its sign-in callback and sign-out return. */
export function localDeskUrl(origin: string): string {
  return `${origin}${DESK_PATH}`;
}

export function localDeskConfig(origin: string, clientId: string): DeskConfig {
  return {
    api: origin,
    editorGroup: EDITOR_GROUP,
    auth: {
      authorizeUrl: `${origin}/oauth2/authorize`,
      tokenUrl: `${origin}/oauth2/token`,
      revokeUrl: `${origin}/oauth2/revoke`,
      logoutUrl: `${origin}/logout`,
      clientId,
      redirectUri: localDeskUrl(origin),
      scope: DESK_SCOPES.join(' '),
    },
  };
}
