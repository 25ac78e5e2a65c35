/**
 * Where things live in the bucket. Grants in the topology are given per prefix, so a
 * function that writes articles cannot touch, say, rejected inputs unless it declares it.
 */
export const BUCKET_PREFIXES = {
  /** Drop zone: any object created here is ingested, then removed. */
  incoming: 'incoming/',
  /** Every input as received, keyed by article and content hash: the raw stays retrievable. */
  raw: 'raw/',
  /** The normalized article, `articles/<id>.json`. */
  articles: 'articles/',
  /** Inputs that could not be parsed, each with `<key>.reason.json` beside it. */
  rejected: 'rejected/',
  /** One small outcome record per ingested input, so a client that dropped a file can learn what happened. */
  receipts: 'receipts/',
} as const;

export const articleKey = (articleId: string): string => `${BUCKET_PREFIXES.articles}${articleId}.json`;

/** `incoming/a/b.txt` → `receipts/a/b.txt.json`; the receipt mirrors the path the client chose. */
export function receiptKeyFor(sourceKey: string): string {
  return `${BUCKET_PREFIXES.receipts}${stripIncoming(sourceKey)}.json`;
}

export function rejectedKeyFor(sourceKey: string): string {
  return `${BUCKET_PREFIXES.rejected}${stripIncoming(sourceKey)}`;
}

export const rejectionReasonKey = (rejectedKey: string): string => `${rejectedKey}.reason.json`;

function stripIncoming(key: string): string {
  return key.startsWith(BUCKET_PREFIXES.incoming) ? key.slice(BUCKET_PREFIXES.incoming.length) : key;
}
