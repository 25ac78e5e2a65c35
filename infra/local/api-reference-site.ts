import { API_REFERENCE_PATH, apiReferenceSecurityHeaders, buildApiReference } from '../api-reference/api-reference';
import { STATIC_CACHE_CONTROL } from '../topology/cdn';
import type { SiteResponse, StaticSite } from './widget-site';

/**
 * The API reference as the local stack serves it on the API's origin, as the CDN does in AWS:
 * `/docs/api` redirects to `/docs/api/`, the page, which names the local API for "Try it out" and
 * reads the document from the gateway's own `GET /openapi.json`; then Swagger UI's files and the
 * page's own, content-hashed. The same headers as the CDN's, except that the page is revalidated
 * on every load, so a restarted stack's new build (or port) shows at once.
 */
export async function createApiReferenceSite(origin: () => string): Promise<StaticSite> {
  const built = await buildApiReference();
  return {
    serve(pathname): SiteResponse | null {
      if (pathname === API_REFERENCE_PATH.slice(0, -1)) {
        return { status: 301, headers: { location: API_REFERENCE_PATH, 'cache-control': 'no-store' }, body: '' };
      }
      if (!pathname.startsWith(API_REFERENCE_PATH)) return null;
      const name = pathname.slice(API_REFERENCE_PATH.length) || 'index.html';
      const headers = apiReferenceSecurityHeaders(origin());
      if (name === 'index.html') {
        return {
          status: 200,
          headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
          body: built.page(origin()),
        };
      }
      const file = built.assets.get(name);
      if (!file) return null;
      return {
        status: 200,
        headers: { ...headers, 'content-type': file.contentType, 'cache-control': STATIC_CACHE_CONTROL.hashed },
        body: file.bytes,
      };
    },
  };
}
