/**
 * Every number that decides a match's rank, in one place (docs/matching.md explains them with
 * examples). A score is the sum of the signed weights of its reasons; nothing else adds to it.
 * Change a weight here and the ranking, the reason lines and the documentation's table follow.
 */

/** Theme: what the need is about dominates every other factor. */
export const THEME_WEIGHTS = {
  /** The offer is filed under exactly the theme asked for. */
  EXACT: 1.0,
  /**
   * Filed under a sub-theme of the one asked for (asked "language", offer "language.french"):
   * what was asked, more specific; slightly below exact so that a case worker's own precision wins.
   */
  SUB_THEME: 0.8,
  /**
   * Filed under the parent of the theme asked for (asked "language.french", offer "language"): a
   * general offer that may cover the need (a language school teaching several languages).
   */
  PARENT: 0.4,
} as const;

/**
 * Languages: a shared language is what makes an offer usable at all for a newcomer; none in common
 * costs less than a theme is worth, because interpreters exist (referrals can ask for one).
 */
export const LANGUAGE_WEIGHTS = {
  /** The offer is delivered in one of the languages asked for. */
  SPOKEN: 0.3,
  /** None of them: usable only with an interpreter. */
  NOT_SPOKEN: -0.3,
} as const;

/** Audiences: the offer is meant for the people asked for (or for everyone, which is less telling). */
export const AUDIENCE_WEIGHTS = {
  MATCH: 0.2,
  EVERYONE: 0.1,
  /** Meant for other people only: not a hard filter (eligibility text decides), but a warning. */
  OTHER: -0.1,
} as const;

/**
 * Distance: full weight on the spot, falling linearly to nothing at `ZERO_AT_METERS`. Beyond an
 * hour's walk residents take the bus and distance matters little inside Luxembourg's short
 * distances; it never becomes negative, so a far offer is not punished below one with no site.
 */
export const DISTANCE_WEIGHT = 0.4;
export const DISTANCE_ZERO_AT_METERS = 10_000;

/**
 * Walking: a resident's pace (4.5 km/h: families with children, people unfamiliar with the city)
 * and a detour factor from the straight line to streets (1.3, the usual figure for European towns).
 */
export const WALKING_SPEED_KMH = 4.5;
export const WALKING_DETOUR_FACTOR = 1.3;

/** Free places, when places are wanted. */
export const PLACES_WEIGHTS = {
  /** As many free places as wanted. */
  ENOUGH: 0.2,
  /** Some, fewer than wanted. */
  SOME: 0.05,
  /** Full, but a waitlist is kept (full without waitlist is a hard filter). Shown even when no place is asked for. */
  WAITLIST: -0.2,
} as const;

/** Open on the days asked for: the full weight when open on all of them, in proportion otherwise. */
export const OPEN_DAYS_WEIGHT = 0.2;
/** Open on none of the days asked for. */
export const CLOSED_ON_DAYS_WEIGHT = -0.2;

/** Near misses listed with a result (offers that matched the themes but a hard filter dropped). */
export const MAX_EXCLUDED = 10;
/** At most this many results per request. */
export const MAX_FIRST = 50;
