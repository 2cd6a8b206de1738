/**
 * French typography, the rule written once for the console's words (`defineMessages`,
 * `clients/web/src/i18n/i18n.tsx`) and the hub's French pages and mails (their `fr` catalogues).
 */

/**
 * French typography: a no-break space before « : » and inside « », a narrow no-break space before
 * « ; », « ! » and « ? », so that a line never starts with them or leaves a guillemet alone.
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
 *
 * Only our words: a text handed to a function (a person's note, a title, a name) is put into its
 * sentence as given. It goes in as a placeholder while the sentence is typeset, and the same text
 * as the same placeholder, so that a message comparing two of its values still can.
 */
export function typesetFrench<T>(words: T): T {
  if (typeof words === 'string') return frenchSpacing(words) as T;
  if (typeof words === 'function') {
    const message = words as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => {
      const given: string[] = [];
      const placeholder = (value: string) => {
        const at = given.indexOf(value);
        return `\ue000${at === -1 ? given.push(value) - 1 : at}\ue001`;
      };
      const text = message(
        ...args.map((arg) =>
          typeof arg === 'string' && frenchSpacing(arg) !== arg ? placeholder(arg) : arg,
        ),
      );
      return typeof text === 'string'
        ? frenchSpacing(text).replace(/\ue000(\d+)\ue001/g, (_, at: string) => given[Number(at)]!)
        : text;
    }) as T;
  }
  if (Array.isArray(words)) return words.map((item: unknown) => typesetFrench(item)) as T;
  if (words && typeof words === 'object' && Object.getPrototypeOf(words) === Object.prototype) {
    return Object.fromEntries(Object.entries(words).map(([key, value]) => [key, typesetFrench(value)])) as T;
  }
  return words;
}
