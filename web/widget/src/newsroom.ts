/**
 * The loader a news page embeds (`<script type="module" src=".../widget/v1/newsroom.js">`). It is
 * small and cached for minutes; the elements come from content-hashed chunks cached for a year,
 * so a deploy reaches every page within minutes without a page changing its snippet.
 */
const elements = import('./elements');

void elements.then((module) => module.defineElements());

/** For sites with their own sign-in: the signed reader token to use (null: back to anonymous). */
export async function setReaderToken(token: string | null): Promise<void> {
  (await elements).setReaderToken(token);
}
