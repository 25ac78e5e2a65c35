import { http } from './http';

/** A small original story page in the seed's shape, for tests that need a parseable input. */
export const SAMPLE_STORY_TEXT = [
  'Harbor Town Votes to Rebuild Its Old Ferry Pier',
  'Council approves a $4 million plan after two years of debate',
  'By Dana Whitfield, Coastline Staff',
  'Posted Jun 3, 2021 9:15 AM PDT',
  'Commuters wait for the morning ferry at the old pier on Tuesday.   (Coastline Photo/Lee Ortega)',
  '',
  '(Coastline) – The Harbor Town council voted 5-2 on Tuesday to rebuild the aging ferry pier, the Seattle Times reports.',
  '',
  'Work is expected to start next spring, and the pier will stay open during construction, according to Reuters.',
  '',
].join('\n');

/** The same story after an editor fixed a paragraph: same identity, new content. */
export const SAMPLE_STORY_TEXT_EDITED = SAMPLE_STORY_TEXT.replace('next spring', 'next summer');

/** Posts a story as an editor (`POST /articles`, plain text) and answers its id; 201 or it throws. */
export async function postStory(api: string, editorToken: string, text = SAMPLE_STORY_TEXT): Promise<string> {
  const created = await http(`${api}/articles`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${editorToken}` },
    body: text,
  });
  if (created.status !== 201) throw new Error(`POST /articles answered ${created.status}: ${created.text}`);
  return created.body.id as string;
}
