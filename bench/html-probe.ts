/**
 * One parse of one hostile page by one parser, in its own process, so that `bench/html.ts` can
 * stop a parser that goes quadratic (a synchronous parse cannot be interrupted in-process).
 * Usage: tsx bench/html-probe.ts <parser name> <page name>; prints the milliseconds it took.
 */
import { CANDIDATES, hostilePages } from './html-inputs';

const [candidateName, pageName] = process.argv.slice(2);
const candidate = CANDIDATES.find((c) => c.name === candidateName);
const page = hostilePages().find((p) => p.name === pageName);
if (!candidate || !page) throw new Error(`Unknown parser ${candidateName} or page ${pageName}`);
const start = performance.now();
candidate.parse(page.html);
process.stdout.write(String(performance.now() - start));
