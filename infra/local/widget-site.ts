import { buildDemoScript, buildWidget, WIDGET_LOADER, WIDGET_PATH, type BuiltFile } from '../widget/build-widget';
import type { DeployedConfig, LiveConfig } from '../../web/widget/src/shapes';

export interface SiteResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/** What the local HTTP gateway serves besides the API's routes. */
export interface StaticSite {
  serve(pathname: string): SiteResponse | null;
}

/**
 * The demo pages' headers. Inline styles only: the widget's shadow roots carry their own <style>
 * elements. The Event API listens on a port of its own, so its socket is named in connect-src.
 */
const pageHeaders = (live: LiveConfig) => ({
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': `default-src 'self'; connect-src 'self' ${live.realtimeUrl}; style-src 'self' 'unsafe-inline'; img-src 'self' data:`,
  'referrer-policy': 'strict-origin-when-cross-origin',
});

const demoPage = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/demo/demo.css">
<script type="module" src="${WIDGET_PATH}${WIDGET_LOADER}"></script>
<script type="module" src="/demo/demo.js"></script>
</head>
<body><main></main></body>
</html>
`;

const DEMO_CSS = `body{font:17px/1.5 Georgia,serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:2rem;line-height:1.2}.meta{color:#595959}a{color:#0b57d0}
newsroom-story{font-family:system-ui,sans-serif;font-size:16px;margin-top:2rem;display:block}`;

/**
 * The widget and a demo news site, served by the local stack on the API's own origin (one origin
 * serves reads, writes and the widget locally; in AWS the CDN does): `/widget/v1/newsroom.js` and
 * its chunks, `/widget/v1/config.json` naming the API and the live updates' Event API, `/` listing
 * the stories, and `/stories/<id>` rendering one with the widget embedded (`?lang=es`: the widget in
 * Spanish).
 */
export async function createWidgetSite(origin: () => string, live: LiveConfig): Promise<StaticSite> {
  const htmlHeaders = pageHeaders(live);
  const [widget, demoScript] = await Promise.all([buildWidget(), buildDemoScript()]);
  const file = (built: BuiltFile): SiteResponse => ({
    status: 200,
    headers: {
      'content-type': built.contentType,
      'cache-control': built.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      'x-content-type-options': 'nosniff',
      'access-control-allow-origin': '*',
    },
    body: built.bytes,
  });
  return {
    serve(pathname) {
      if (pathname === '/') return { status: 200, headers: htmlHeaders, body: demoPage('Stories') };
      if (/^\/stories\/[0-9a-f]{16}$/.test(pathname))
        return { status: 200, headers: htmlHeaders, body: demoPage('Story') };
      if (pathname === '/demo/demo.js')
        return file({ bytes: demoScript, contentType: 'text/javascript; charset=utf-8', immutable: false });
      if (pathname === '/demo/demo.css') {
        return { status: 200, headers: { ...htmlHeaders, 'content-type': 'text/css; charset=utf-8' }, body: DEMO_CSS };
      }
      if (pathname === `${WIDGET_PATH}config.json`) {
        return {
          status: 200,
          headers: {
            'content-type': 'application/json',
            'cache-control': 'no-store',
            'access-control-allow-origin': '*',
          },
          body: JSON.stringify({ api: origin(), reads: origin(), live } satisfies DeployedConfig),
        };
      }
      if (!pathname.startsWith(WIDGET_PATH)) return null;
      const built = widget.get(pathname.slice(WIDGET_PATH.length));
      return built ? file(built) : null;
    },
  };
}
