/**
 * French typography, the rule written once for the console's words (`defineMessages`,
 * `clients/web/src/i18n/i18n.tsx`) and the hub's French pages and mails (their `fr` catalogues).
 */

/**
 * French typography: a no-break space before « : » and inside « », a narrow no-break space before
 * « ; », « ! » and « ? », so that a line never starts with them or leaves a guillemet alone.
 * A message is typeset whole, the values put into it included: a name with « ? » in it gets
 * the same space as the words around it.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/ ([:»])/g, '\u00a0$1')
    .replace(/ ([;!?])/g, '\u202f$1')
    .replace(/« /g, '«\u00a0');
}

/**
 * A catalogue of French words with every string typeset (`frenchSpacing`): its strings, those in
 * its nested records and lists, and what its functions return. Written with plain spaces, typeset
 * once where the catalogue is defined.
 */
export function typesetFrench<T>(words: T): T {
  if (typeof words === 'string') return frenchSpacing(words) as T;
  if (typeof words === 'function') {
    const message = words as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => {
      const text = message(...args);
      return typeof text === 'string' ? frenchSpacing(text) : text;
    }) as T;
  }
  if (Array.isArray(words)) return words.map((item: unknown) => typesetFrench(item)) as T;
  if (words && typeof words === 'object' && Object.getPrototypeOf(words) === Object.prototype) {
    return Object.fromEntries(Object.entries(words).map(([key, value]) => [key, typesetFrench(value)])) as T;
  }
  return words;
}
