import { describe, expect, it } from '@jest/globals';
import { frenchSpacing, typesetFrench } from '../../clients/typography.ts';

describe('frenchSpacing', () => {
  it('puts a no-break space before a colon and inside guillemets, a narrow one before ; ! ?', () => {
    expect(frenchSpacing('Code inconnu : « INCONNU-0000 ». Vraiment ? Oui ; bien sûr !')).toBe(
      'Code inconnu\u00a0: «\u00a0INCONNU-0000\u00a0». Vraiment\u202f? Oui\u202f; bien sûr\u202f!',
    );
  });

  it('leaves marks without a space before them, and text already typeset, as they are', () => {
    const text = 'https://maillage.lu/?q=a:b 10:30 Voilà!';
    expect(frenchSpacing(text)).toBe(text);
    const typeset = frenchSpacing('Semaine (lundi) : la date ne peut pas être dans le futur ?');
    expect(frenchSpacing(typeset)).toBe(typeset);
  });
});

describe('typesetFrench', () => {
  it('typesets every string of a catalogue: nested, listed and returned by its functions', () => {
    const words = typesetFrench({
      title: 'Vos inscriptions ?',
      kind: { talk: 'Conférence : débat' },
      steps: ['Un ; deux'],
      full: (n: number) => (n > 0 ? `Complet : ${n} en attente` : 'Complet'),
      count: 3,
    });
    expect(words).toEqual({
      title: 'Vos inscriptions\u202f?',
      kind: { talk: 'Conférence\u00a0: débat' },
      steps: ['Un\u202f; deux'],
      full: expect.any(Function),
      count: 3,
    });
    expect(words.full(2)).toBe('Complet\u00a0: 2 en attente');
    expect(words.full(0)).toBe('Complet');
  });

  it('puts the texts handed to a function into its sentence as given', () => {
    const words = typesetFrench({
      needs: (note: string) => `Besoins signalés : ${note}`,
      dates: (from: string, to: string) => (from === to ? `le ${from} !` : `du ${from} au ${to} !`),
    });
    expect(words.needs('Fauteuil ; pas d’escalier ?')).toBe(
      'Besoins signalés\u00a0: Fauteuil ; pas d’escalier ?',
    );
    expect(words.dates('1 : 2', '1 : 2')).toBe('le 1 : 2\u202f!');
    expect(words.dates('lundi', 'mardi')).toBe('du lundi au mardi\u202f!');
  });
});
