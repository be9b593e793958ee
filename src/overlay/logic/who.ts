// Pure: who the overlay analyzes. In 'everyone' mode every tile but those the user left out; in 'me'
// mode only the user's own self view (the site marks it, or the user picked it for this call). A tile
// that is not analyzed is not sampled at all: none of its frames reaches the ML host.
import { type AnalyzeMode, excludedName } from '../../core/settings';
import type { SiteId } from '../../core/types';

export interface WhoRules {
  mode: AnalyzeMode;
  site: SiteId;
  /** Settings.excludedNames: `<site>:<name>`, never analyzed. */
  excludedNames: readonly string[];
  /** Participant keys the user left out of this call (participantKeyOf). */
  leftOut: ReadonlySet<string>;
  /** The tile key the user picked as their own for this call ('me' mode where the site marks none). */
  pickedSelf: string | null;
  /** Some tile on the page is marked as the self view by the site. */
  siteMarksSelf: boolean;
}

/**
 * What happens to a tile: 'analyze'; 'left-out' (the user said not to analyze this person);
 * 'not-me' ('me' mode, someone else); 'pick-me' ('me' mode and the user's own tile is not known yet:
 * the tile offers "This is me", nothing is analyzed meanwhile).
 */
export type TileTreatment = 'analyze' | 'left-out' | 'not-me' | 'pick-me';

export function treatmentOf(tile: { key: string; name: string | null; self: boolean }, rules: WhoRules): TileTreatment {
  if (rules.leftOut.has(tile.key) || (tile.name !== null && rules.excludedNames.includes(excludedName(rules.site, tile.name)))) return 'left-out';
  if (rules.mode === 'everyone') return 'analyze';
  if (tile.self || tile.key === rules.pickedSelf) return 'analyze';
  return rules.siteMarksSelf || rules.pickedSelf !== null ? 'not-me' : 'pick-me';
}
