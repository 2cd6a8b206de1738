/**
 * Matching's pure ranking (src/modules/welcome/match.ts), without a database: theme levels,
 * every soft factor's weight, every hard filter, the order, the words in fr/de/en, distances.
 */
import { describe, expect, it } from '@jest/globals';
import {
  exclusionText,
  formatWeight,
  haversineMeters,
  openWeekdays,
  rankOffers,
  reasonText,
  textLanguage,
  themeMatch,
  walkingMinutes,
  type MatchCandidate,
  type MatchCriteria,
  type ThemeTree,
} from '../../src/modules/welcome/match.ts';
import { criteriaForReferral, criteriaForShelterProfile } from '../../src/modules/welcome/match.service.ts';
import * as W from '../../src/modules/welcome/match.weights.ts';

const tree: ThemeTree = new Map([
  ['language', { parent: null, label: { fr: 'Langues', de: 'Sprachen', en: 'Languages' } }],
  ['language.french', { parent: 'language', label: { fr: 'Cours de français', en: 'French classes' } }],
  ['language.german', { parent: 'language', label: { fr: "Cours d'allemand" } }],
  ['housing', { parent: null, label: { fr: 'Logement', en: 'Housing' } }],
]);

const base: MatchCriteria = {
  themes: ['language.french'],
  languages: [],
  audiences: [],
  age: null,
  commune: null,
  point: null,
  placesWanted: null,
  openOn: [],
};

function offer(id: string, o: Partial<MatchCandidate> = {}): MatchCandidate {
  return {
    id,
    organisationId: 'org',
    status: 'PUBLISHED',
    themePath: ['language', 'language.french'],
    languages: ['fr'],
    audiences: [],
    minAge: null,
    maxAge: null,
    communes: ['Luxembourg'],
    capacityFree: null,
    waitlist: false,
    schedule: null,
    sites: [],
    ...o,
  };
}

describe('distance and walking time', () => {
  it('measures great-circle distances (Paris–London, and 0.01° along a meridian)', () => {
    const paris = { latitude: 48.8566, longitude: 2.3522 };
    const london = { latitude: 51.5074, longitude: -0.1278 };
    expect(haversineMeters(paris, london) / 1000).toBeCloseTo(343.56, 0);
    const gare = { latitude: 49.6, longitude: 6.1335 };
    const north = { latitude: 49.61, longitude: 6.1335 };
    expect(haversineMeters(gare, north)).toBeCloseTo(1111.95, 1);
  });

  it('walks at 4.5 km/h on streets 1.3 times the straight line, rounding up', () => {
    expect(W.WALKING_SPEED_KMH).toBe(4.5);
    expect(W.WALKING_DETOUR_FACTOR).toBe(1.3);
    // 1,111.95 m × 1.3 = 1,445.5 m at 75 m/min = 19.3 min.
    expect(walkingMinutes(1111.95)).toBe(20);
    expect(walkingMinutes(750)).toBe(13);
    expect(walkingMinutes(0)).toBe(0);
  });
});

describe('theme levels', () => {
  it('tells exact, sub-theme and parent apart, and ignores siblings', () => {
    expect(themeMatch(['language.french'], ['language', 'language.french'], tree)?.detail).toMatchObject({
      kind: 'EXACT',
    });
    expect(themeMatch(['language'], ['language', 'language.french'], tree)?.detail).toMatchObject({
      kind: 'SUB_THEME',
      code: 'language',
    });
    expect(themeMatch(['language.french'], ['language'], tree)?.detail).toMatchObject({
      kind: 'PARENT',
      code: 'language',
    });
    expect(themeMatch(['language.french'], ['language', 'language.german'], tree)).toBeNull();
    expect(themeMatch(['housing'], ['language'], tree)).toBeNull();
    // The best level of several asked themes.
    expect(themeMatch(['housing', 'language'], ['language'], tree)?.weight).toBe(W.THEME_WEIGHTS.EXACT);
  });
});

describe('ranking', () => {
  const point = { latitude: 49.61, longitude: 6.1335 };
  const near = { latitude: 49.6, longitude: 6.1335, openingHours: null };
  const criteria: MatchCriteria = {
    ...base,
    languages: ['ar'],
    audiences: ['REFUGEES'],
    age: 40,
    commune: 'Luxembourg',
    point,
    placesWanted: 2,
    openOn: [1, 6],
  };
  const candidates = [
    offer('b-parent', { themePath: ['language'], languages: ['fr', 'en'], audiences: ['ADULTS'] }),
    offer('a-best', {
      languages: ['fr', 'ar'],
      audiences: ['REFUGEES'],
      capacityFree: 10,
      schedule: [{ freq: 'WEEKLY', byday: ['MO', 'WE'], opensAt: '09:00', closesAt: '12:00' }],
      sites: [near],
    }),
    offer('g-waitlist', {
      capacityFree: 0,
      waitlist: true,
      sites: [{ ...near, openingHours: [{ weekday: 1, opens: '09:00', closes: '12:00' }] }],
    }),
    offer('c-sibling', { themePath: ['language', 'language.german'] }),
    offer('d-age', { minAge: 16, maxAge: 25, sites: [near] }),
    offer('e-area', { communes: ['Esch-sur-Alzette'] }),
    offer('f-full', { capacityFree: 0, waitlist: false }),
    offer('h-paused', { status: 'PAUSED' }),
  ];

  it('ranks by the sum of the reasons, keeps hard filters apart, and drops siblings', () => {
    const r = rankOffers(criteria, candidates, tree, 10);
    expect(r.matches.map((m) => m.id)).toEqual(['a-best', 'g-waitlist', 'b-parent']);
    expect(r.totalCount).toBe(3);
    for (const m of r.matches) {
      expect(m.score).toBeCloseTo(
        m.reasons.reduce((s, x) => s + x.weight, 0),
        6,
      );
    }
    const best = r.matches[0]!;
    expect(best.reasons.map((x) => [x.factor, x.weight])).toEqual([
      ['THEME', 1],
      ['LANGUAGE', 0.3],
      ['AUDIENCE', 0.2],
      ['DISTANCE', 0.356],
      ['FREE_PLACES', 0.2],
      ['OPEN_DAYS', 0.1],
    ]);
    expect(best.score).toBe(2.156);
    expect(best.distanceMeters).toBe(1112);
    expect(best.walkingMinutes).toBe(20);
    expect(r.excluded.map((e) => [e.id, e.filters.map((f) => f.filter)])).toEqual(
      expect.arrayContaining([
        ['d-age', ['AGE']],
        ['e-area', ['AREA']],
        ['f-full', ['FULL']],
        ['h-paused', ['NOT_PUBLISHED']],
      ]),
    );
    expect(r.excluded).toHaveLength(4);
    // Near misses best first too.
    const scores = r.excluded.map((e) => e.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('cuts the page and the near misses, and says how many matched', () => {
    const r = rankOffers(criteria, candidates, tree, 1, 2);
    expect(r.matches.map((m) => m.id)).toEqual(['a-best']);
    expect(r.totalCount).toBe(3);
    expect(r.excluded).toHaveLength(2);
  });

  it('writes each reason in French, German and English', () => {
    const r = rankOffers(criteria, candidates, tree, 10);
    const lines = (id: string, lang: 'fr' | 'de' | 'en') =>
      r.matches.find((m) => m.id === id)!.reasons.map((x) => reasonText(x, lang, tree));
    expect(lines('a-best', 'fr')).toEqual([
      'thème\u00a0: Cours de français +1',
      'parle arabe +0,3',
      'pour réfugiés +0,2',
      '1,1 km, 20 min à pied +0,36',
      '10 places libres +0,2',
      'ouvert lundi\u202f; fermé samedi +0,1',
    ]);
    expect(lines('a-best', 'en')).toEqual([
      'theme: French classes +1',
      'speaks Arabic +0.3',
      'for refugees +0.2',
      '1.1 km, 20 min on foot +0.36',
      '10 free places +0.2',
      'open Monday; closed Saturday +0.1',
    ]);
    expect(lines('a-best', 'de')).toEqual([
      'Thema: Cours de français +1',
      'spricht Arabisch +0,3',
      'für Geflüchtete +0,2',
      '1,1 km, 20 Min. zu Fuß +0,36',
      '10 freie Plätze +0,2',
      'geöffnet Montag; geschlossen Samstag +0,1',
    ]);
    expect(lines('g-waitlist', 'fr')).toEqual([
      'thème\u00a0: Cours de français +1',
      'ne parle pas arabe \u22120,3',
      'ouvert à tous +0,1',
      '1,1 km, 20 min à pied +0,36',
      "complet\u00a0: liste d'attente \u22120,2",
      'ouvert lundi\u202f; fermé samedi +0,1',
    ]);
    expect(lines('g-waitlist', 'en')).toEqual([
      'theme: French classes +1',
      'does not speak Arabic \u22120.3',
      'open to everyone +0.1',
      '1.1 km, 20 min on foot +0.36',
      'no free place: waitlist \u22120.2',
      'open Monday; closed Saturday +0.1',
    ]);
    expect(lines('b-parent', 'fr')).toEqual([
      'thème plus large\u00a0: Langues +0,4',
      'ne parle pas arabe \u22120,3',
      'destiné à\u00a0: adultes \u22120,1',
      'aucun lieu avec coordonnées +0',
      'places libres non indiquées +0',
      'horaires non indiqués +0',
    ]);
    expect(lines('b-parent', 'en')).toEqual([
      'broader theme: Languages +0.4',
      'does not speak Arabic \u22120.3',
      'meant for: adults \u22120.1',
      'no site with coordinates +0',
      'free places not reported +0',
      'opening times not given +0',
    ]);
  });

  it('words each hard filter in French, German and English', () => {
    const r = rankOffers(criteria, candidates, tree, 10);
    const words = (id: string, lang: 'fr' | 'de' | 'en') =>
      r.excluded.find((e) => e.id === id)!.filters.map((f) => exclusionText(f, lang));
    expect(words('d-age', 'fr')).toEqual(['âge\u00a0: 16 à 25 ans (demandé\u00a0: 40)']);
    expect(words('d-age', 'en')).toEqual(['age: 16 to 25 (asked: 40)']);
    expect(words('d-age', 'de')).toEqual(['Alter: 16 bis 25 Jahre (gefragt: 40)']);
    expect(words('e-area', 'fr')).toEqual(['ne dessert pas Luxembourg']);
    expect(words('e-area', 'en')).toEqual(['does not serve Luxembourg']);
    expect(words('f-full', 'fr')).toEqual(["complet, sans liste d'attente"]);
    expect(words('f-full', 'en')).toEqual(['full, no waitlist']);
    expect(words('h-paused', 'fr')).toEqual(['offre non publiée\u00a0: en pause']);
    expect(words('h-paused', 'en')).toEqual(['not published: paused']);
  });

  it('counts free places and open days in proportion', () => {
    const some = rankOffers({ ...base, placesWanted: 4 }, [offer('x', { capacityFree: 2 })], tree, 1);
    expect(some.matches[0]!.reasons[1]).toMatchObject({
      factor: 'FREE_PLACES',
      weight: W.PLACES_WEIGHTS.SOME,
    });
    expect(reasonText(some.matches[0]!.reasons[1]!, 'fr', tree)).toBe(
      '2 places libres sur 4 demandées +0,05',
    );
    const closed = rankOffers(
      { ...base, openOn: [6, 7] },
      [offer('x', { schedule: [{ freq: 'WEEKLY', byday: ['MO'], opensAt: '09:00', closesAt: '10:00' }] })],
      tree,
      1,
    );
    expect(closed.matches[0]!.reasons[1]).toMatchObject({
      factor: 'OPEN_DAYS',
      weight: W.CLOSED_ON_DAYS_WEIGHT,
    });
    expect(reasonText(closed.matches[0]!.reasons[1]!, 'en', tree)).toBe(
      'closed Saturday and Sunday \u22120.2',
    );
  });

  it('prefers nearer offers at equal score, then the id', () => {
    const far = { latitude: 49.7, longitude: 6.1335, openingHours: null };
    const r = rankOffers({ ...base }, [offer('b', { sites: [far] }), offer('a'), offer('c')], tree, 3);
    expect(r.matches.map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('helpers', () => {
  it('reads open days from the schedule, else the sites', () => {
    expect([...openWeekdays({ schedule: [{ byday: ['SU', 'TU'] }], sites: [] })!].sort()).toEqual([2, 7]);
    expect([
      ...openWeekdays({
        schedule: [],
        sites: [{ latitude: null, longitude: null, openingHours: [{ weekday: 5 }] }],
      })!,
    ]).toEqual([5]);
    expect(openWeekdays({ schedule: null, sites: [] })).toBeNull();
  });

  it('writes weights with a sign in the language’s format, and French when another language is asked', () => {
    expect(formatWeight(0.3, 'fr')).toBe('+0,3');
    expect(formatWeight(-0.25, 'en')).toBe('\u22120.25');
    expect(textLanguage(['ar', 'en'])).toBe('en');
    expect(textLanguage(['uk'])).toBe('fr');
  });

  it('turns a referral draft into criteria without keeping anything', () => {
    const c = criteriaForReferral(
      {
        needThemes: [],
        offer: { themes: [{ code: 'housing' }] },
        person: { languages: ['ar', 'not a code'], birthYear: 1990, anonymisedAt: null },
      },
      'Luxembourg',
      2026,
    );
    expect(c).toEqual({ themes: ['housing'], languages: ['ar'], age: 36, commune: 'Luxembourg' });
    const anonymised = criteriaForReferral(
      {
        needThemes: [{ code: 'language' }],
        offer: null,
        person: { languages: ['ar'], birthYear: 1990, anonymisedAt: new Date() },
      },
      null,
      2026,
    );
    expect(anonymised).toEqual({ themes: ['language'], languages: [], age: null, commune: null });
  });

  it('turns a residents’ profile (counts) into languages and audiences', () => {
    const c = criteriaForShelterProfile(
      {
        languages: [
          { code: 'uk', count: 12 },
          { code: 'ar', count: 40 },
          { code: 'fa', count: 3 },
          { code: 'ti', count: 0 },
        ],
        ageBands: [
          { band: 'AGE_0_5', count: 4 },
          { band: 'AGE_18_25', count: 20 },
          { band: 'AGE_65_PLUS', count: 0 },
        ],
      },
      ['language.french'],
    );
    expect(c.themes).toEqual(['language.french']);
    // Most spoken first; Persian is under a tenth of the residents; none speaks Tigrinya.
    expect(c.languages).toEqual(['ar', 'uk']);
    expect(new Set(c.audiences)).toEqual(new Set(['CHILDREN', 'YOUTH', 'ADULTS']));
  });
});
