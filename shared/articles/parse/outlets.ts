/**
 * The news outlets a story can cite, as the names we store (without a leading "The") and
 * the spellings stories use for them. Spellings are case-sensitive on purpose: "Time" the
 * magazine and "time" the noun differ only there.
 *
 * `contextual` spellings are also ordinary words or names ("Time", "Independent",
 * "Bloomberg", "a New Yorker"), so they count only where the sentence cites them
 * ("reports the Independent", "Time magazine notes"); see `sources.ts`.
 */
export interface Outlet {
  name: string;
  /** Spellings that always mean the outlet (regular-expression sources; a space matches any whitespace). */
  names: readonly string[];
  /** Spellings that mean the outlet only in a citing context. */
  contextual?: readonly string[];
}

export const OUTLETS: readonly Outlet[] = [
  { name: 'Washington Post', names: ['Washington Post', 'WaPo'] },
  { name: 'New York Times', names: ['New York Times', 'NY Times', 'NYT'] },
  { name: 'Wall Street Journal', names: ['Wall Street Journal', 'WSJ'] },
  { name: 'Guardian', names: ['Guardian'] },
  { name: 'CNN', names: ['CNN'] },
  { name: 'BBC', names: ['BBC'] },
  { name: 'Reuters', names: ['Reuters'] },
  // "AP Photo/…" is a photo credit, not a citation.
  { name: 'AP', names: ['Associated Press', 'AP(?!\\s*Photo)'] },
  { name: 'AFP', names: ['AFP', 'Agence France-Presse', 'Agence France Presse'] },
  { name: 'Bloomberg', names: ['Bloomberg News', 'Bloomberg Businessweek'], contextual: ['Bloomberg'] },
  { name: 'NPR', names: ['NPR'] },
  { name: 'Politico', names: ['Politico', 'POLITICO'] },
  { name: 'Fox News', names: ['Fox News'] },
  { name: 'NBC News', names: ['NBC News', 'NBC'] },
  { name: 'ABC News', names: ['ABC News', 'ABC'] },
  { name: 'CBS News', names: ['CBS News', 'CBS'] },
  { name: 'CNBC', names: ['CNBC'] },
  { name: 'MSNBC', names: ['MSNBC'] },
  { name: 'Los Angeles Times', names: ['Los Angeles Times', 'LA Times', 'L\\.A\\. Times'] },
  { name: 'USA Today', names: ['USA Today', 'USA TODAY'] },
  { name: 'Chicago Tribune', names: ['Chicago Tribune'] },
  { name: 'Boston Globe', names: ['Boston Globe'] },
  { name: 'New York Post', names: ['New York Post'] },
  { name: 'Atlantic', names: [], contextual: ['Atlantic'] },
  { name: 'Axios', names: ['Axios'] },
  { name: 'Financial Times', names: ['Financial Times'], contextual: ['FT'] },
  { name: 'Economist', names: [], contextual: ['Economist'] },
  { name: 'Al Jazeera', names: ['Al Jazeera', 'Al-Jazeera'] },
  { name: 'Daily Mail', names: ['Daily Mail', 'MailOnline'] },
  { name: 'Telegraph', names: ['Daily Telegraph'], contextual: ['Telegraph'] },
  { name: 'Times of London', names: ['Times of London'] },
  { name: 'Independent', names: [], contextual: ['Independent'] },
  { name: 'Time', names: ['Time magazine'], contextual: ['Time'] },
  { name: 'Newsweek', names: ['Newsweek'] },
  { name: 'Vox', names: ['Vox'] },
  { name: 'BuzzFeed News', names: ['BuzzFeed News', 'BuzzFeed'] },
  { name: 'HuffPost', names: ['HuffPost', 'Huffington Post'] },
  { name: 'Slate', names: [], contextual: ['Slate'] },
  { name: 'Vanity Fair', names: ['Vanity Fair'] },
  { name: 'New Yorker', names: [], contextual: ['New Yorker'] },
  { name: 'Daily Beast', names: ['Daily Beast'] },
  { name: 'Rolling Stone', names: ['Rolling Stone'] },
  { name: 'Forbes', names: ['Forbes'] },
  { name: 'Business Insider', names: ['Business Insider'] },
  { name: 'Ars Technica', names: ['Ars Technica'] },
  { name: 'Wired', names: [], contextual: ['Wired'] },
  { name: 'Scientific American', names: ['Scientific American'] },
  { name: 'Nature', names: [], contextual: ['Nature'] },
  { name: 'Science', names: [], contextual: ['Science'] },
  { name: 'Sky News', names: ['Sky News'] },
  { name: 'Der Spiegel', names: ['Der Spiegel'] },
  { name: 'Le Monde', names: ['Le Monde'] },
];
