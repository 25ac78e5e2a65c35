/**
 * The API reference page's own script: reads the OpenAPI document the API serves (on the page's
 * origin: the local stack's gateway, or the CDN, which forwards `/openapi.json` to the API), names
 * the API as its one server, so "Try it out" sends requests there, and hands it to Swagger UI
 * (the vendor bundle the page loads before this module, unmodified from swagger-ui-dist).
 *
 * The document carries no `servers` of its own: it is the same for every deployment, while the
 * page is told its deployment's API (`data-api`, infra/api-reference/api-reference.ts).
 */
/** The Swagger UI options used here (swagger-ui-dist ships no types): see its configuration docs. */
interface SwaggerUiOptions {
  spec: Record<string, unknown>;
  domNode: HTMLElement;
  validatorUrl: string | null;
  deepLinking: boolean;
  displayRequestDuration: boolean;
  queryConfigEnabled: boolean;
}

declare const SwaggerUIBundle: (options: SwaggerUiOptions) => unknown;

const main = document.getElementById('api-reference')!;

async function start(): Promise<void> {
  const { openapi = '', api = '' } = main.dataset;
  let described: Record<string, unknown>;
  try {
    const response = await fetch(openapi);
    if (!response.ok) throw new Error(`${openapi} answered ${response.status}`);
    described = (await response.json()) as Record<string, unknown>;
  } catch {
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.textContent = `The OpenAPI document (${openapi}) could not be loaded. Reload the page to try again.`;
    main.replaceChildren(message);
    return;
  }
  main.replaceChildren();
  SwaggerUIBundle({
    spec: { ...described, servers: [{ url: api, description: 'This deployment’s API' }] },
    domNode: main,
    // Swagger UI otherwise sends the document to validator.swagger.io for a badge: nothing leaves the origin.
    validatorUrl: null,
    // No links to each operation (#/articles/list-articles): Swagger UI puts them inside the
    // operation's own button, a link in a button that screen readers cannot reach (axe's nested-interactive).
    deepLinking: false,
    displayRequestDuration: true,
    // Never take a document address from the page's query string (`?url=`): it shows this API's only.
    queryConfigEnabled: false,
  });
}

void start();

// A module, as the page loads it: its names are its own, not the other pages' scripts'.
export {};
