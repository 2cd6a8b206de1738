/**
 * Bounds on text input, shared by every transport (GraphQL over HTTP and WebSocket, /hsds).
 * A search text is short: each word is one more term of the tsquery in each text-search
 * configuration, and 6,400 of them exhausted PostgreSQL's memory for one statement.
 */

/** Characters in a search text (GraphQL `OfferFilter.text`, HSDS `search`). */
export const SEARCH_MAX_LENGTH = 200;
/** Words in a search text. */
export const SEARCH_MAX_WORDS = 20;

/** Bounds of one text input; unset ones fall back to the hub's MAX_TEXT_LENGTH. */
export interface TextBounds {
  maxLength?: number;
  maxWords?: number;
}

/**
 * Put on a GraphQL argument or input field (`extensions: searchTextExtensions`) to bound it as a
 * search text; src/http/text-inputs.ts reads it for every request, on every transport.
 */
export const searchTextExtensions: { textBounds: TextBounds } = {
  textBounds: { maxLength: SEARCH_MAX_LENGTH, maxWords: SEARCH_MAX_WORDS },
};

/** Words as a text-search parser sees them: runs of letters and digits. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

/** What is wrong with `text` under `bounds` (a phrase for an error message), or null. */
export function textProblem(text: string, bounds: Required<Pick<TextBounds, 'maxLength'>> & TextBounds) {
  if (text.includes('\u0000')) return { code: 'nul', message: 'must not contain NUL characters' } as const;
  if (text.length > bounds.maxLength) {
    return { code: 'length', message: `must be at most ${bounds.maxLength} characters` } as const;
  }
  if (bounds.maxWords !== undefined && countWords(text) > bounds.maxWords) {
    return { code: 'words', message: `must be at most ${bounds.maxWords} words` } as const;
  }
  return null;
}
