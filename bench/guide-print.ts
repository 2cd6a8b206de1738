/**
 * The printed guide and its iCalendar feed (`npm run bench:guide-print`), issue 11: "A printed
 * guide of 100 entries in 4 languages and its iCal feed: under 50 ms each, warm."
 *
 *  1. data: a PostgreSQL database `maillage_guide_print_bench_test` (127.0.0.1:5432), migrated with
 *     the project's own command, with a shelter and a published guide of `--entries` entries
 *     (offers of four organisations, one or two sites each around the shelter, one or two weekly
 *     schedule entries, closures) in French, English, Ukrainian and Arabic (every fifth entry
 *     without Arabic, so that fallbacks are drawn too). `--reuse` keeps it.
 *  2. the hub as `npm start` runs it (NODE_ENV=production, LOG_LEVEL=warn); for each language, a
 *     warm-up, then `--renders` sequential GETs of `/guides/<slug>?lang=…` and of `.ics`: p50 and
 *     p99 of the whole HTTP answer as a resident's browser or calendar gets it, that is asking
 *     for `Accept-Encoding: gzip, deflate, br` (as browsers do; fetch alone asks for gzip and
 *     deflate only) and decompressing it; its size decoded and on the wire, and the hub's CPU time
 *     per request (user + system, from /proc: steadier than the latency on a shared machine).
 *  3. the same in this process without HTTP: the read model (one Prisma read), the HTML and the
 *     iCalendar rendering, each timed on its own.
 *
 * Flags: --entries N, --renders N, --reuse, --smoke (20 entries, 5 renders, a throw-away database,
 * for the test suite). Prints figures and asserts none; exits non-zero only when something failed.
 */
import { openDatabase } from '../src/shared/db/client.ts';
import { createLogger } from '../src/shared/logger.ts';
import { guideGeoJson, renderGuideCalendar } from '../src/http/guide-feeds.ts';
import { renderGuidePage } from '../src/http/guide-page.ts';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import type { Language } from '../src/modules/catalogue/translations.ts';
import { publicGuide } from '../src/modules/welcome/guide-public.service.ts';
import { addDays, localDate, mondayOf } from '../src/modules/welcome/guide-week.ts';
import {
  benchDatabase,
  cpuSeconds,
  onInterrupt,
  out,
  percentile,
  readFlags,
  startHub,
  stopHub,
} from './lib.ts';

const flags = readFlags();
const smoke = flags.has('--smoke');
const ENTRIES = flags.number('--entries', smoke ? 20 : 100);
const RENDERS = flags.number('--renders', smoke ? 5 : 200);
const WARMUP = smoke ? 2 : 20;
const LANGS: Language[] = ['fr', 'en', 'uk', 'ar'];
const SLUG = 'bench-guide';

const db = benchDatabase(smoke ? 'maillage_guide_print_smoke_test' : 'maillage_guide_print_bench_test');
onInterrupt(() => (smoke ? db.drop() : Promise.resolve()));

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const TOPICS = [
  ['Cours de français', 'French class', 'Курс французької', 'درس اللغة الفرنسية'],
  ['Café des langues', 'Language café', 'Мовне кафе', 'مقهى اللغات'],
  ['Permanence juridique', 'Legal advice', 'Юридична консультація', 'استشارة قانونية'],
  ['Atelier vélo', 'Bike workshop', 'Велосипедна майстерня', 'ورشة الدراجات'],
  ['Football ouvert', 'Open football', 'Відкритий футбол', 'كرة القدم المفتوحة'],
] as const;

async function seed(prisma: PrismaClient): Promise<void> {
  const orgs = [];
  for (const name of ['Inter-Actions', 'Croix-Rouge', 'Caritas', 'ASTI', 'ONA']) {
    orgs.push(await prisma.organisation.create({ data: { slug: name.toLowerCase(), name } }));
  }
  const operator = orgs[4]!;
  const home = await prisma.site.create({
    data: {
      organisationId: operator.id,
      name: 'SHUK',
      street: '2 rue de la Fondation',
      postcode: '1229',
      commune: 'Luxembourg',
      latitude: 49.6285,
      longitude: 6.162,
    },
  });
  const shelter = await prisma.shelter.create({
    data: { siteId: home.id, organisationId: operator.id, kind: 'EMERGENCY' },
  });
  const guide = await prisma.guide.create({
    data: {
      slug: SLUG,
      organisationId: orgs[0]!.id,
      shelterId: shelter.id,
      title: { fr: 'Guide du SHUK', en: 'SHUK guide', uk: 'Путівник SHUK', ar: 'دليل SHUK' },
      intro: { fr: 'Activités autour du foyer.', en: 'Activities around the shelter.' },
      languages: ['fr', 'en', 'uk', 'ar'],
      status: 'PUBLISHED',
      publishedAt: new Date(),
    },
  });
  const today = localDate(new Date());
  for (let i = 0; i < ENTRIES; i++) {
    const org = orgs[i % 4]!;
    const [fr, en, uk, ar] = TOPICS[i % TOPICS.length]!;
    const sites = [];
    for (let k = 0; k <= i % 2; k++) {
      sites.push(
        await prisma.site.create({
          data: {
            organisationId: org.id,
            name: `${org.name} ${i}-${k}`,
            street: `${1 + ((i * 7) % 90)} rue ${k ? 'du Marché' : 'de la Gare'}`,
            postcode: String(1000 + i),
            commune: 'Luxembourg',
            latitude: 49.6 + ((i * 13) % 50) / 1000,
            longitude: 6.1 + ((i * 17) % 80) / 1000,
          },
        }),
      );
    }
    const schedule = [
      { freq: 'WEEKLY', byday: [DAYS[i % 7]!, DAYS[(i + 2) % 7]!], opensAt: '09:30', closesAt: '11:30' },
      ...(i % 3 === 0
        ? [{ freq: 'WEEKLY', byday: [DAYS[(i + 4) % 7]!], opensAt: '14:00', closesAt: '16:00' }]
        : []),
    ];
    const offer = await prisma.offer.create({
      data: {
        organisationId: org.id,
        title: {
          fr: `${fr} ${i}`,
          en: `${en} ${i}`,
          uk: `${uk} ${i}`,
          ...(i % 5 ? { ar: `${ar} ${i}` } : {}),
        },
        description: { fr: `Description ${i}` },
        status: 'PUBLISHED',
        publishedAt: new Date(),
        languages: ['fr', 'en', 'ar'],
        schedule,
        contactPhone: '+352 000 000 123',
        sites: { connect: sites.map((s) => ({ id: s.id })) },
      },
    });
    await prisma.guideItem.create({
      data: {
        guideId: guide.id,
        offerId: offer.id,
        providerOrganisationId: org.id,
        status: i % 2 ? 'REGULAR' : 'CONFIRMED',
        position: i,
        relevanceNote: { fr: `Pourquoi ${i}`, en: `Why ${i}`, ar: `لماذا ${i}` },
        closures: [addDays(today, 7 + (i % 30)), addDays(today, 60 + (i % 40))],
        verifiedAt: new Date(),
      },
    });
  }
}

function summary(label: string, ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  return `${label}: p50 ${percentile(sorted, 50).toFixed(1)} ms   p99 ${percentile(sorted, 99).toFixed(1)} ms`;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

async function timed<T>(runs: number, fn: () => Promise<T>): Promise<{ ms: number[]; last: T }> {
  const ms: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await fn();
    ms.push(performance.now() - started);
  }
  return { ms, last };
}

interface Fetched {
  text: string;
  /** Bytes on the wire (Content-Length: compressed when the hub compressed). */
  wire: number;
  coding: string;
}

/** A GET as a browser or a calendar makes it: compression accepted, the body decoded. */
async function fetchText(url: string): Promise<Fetched> {
  const res = await fetch(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text.slice(0, 200)}`);
  const wire = Number(res.headers.get('content-length') ?? Buffer.byteLength(text));
  return { text, wire, coding: res.headers.get('content-encoding') ?? 'identity' };
}

/** `RENDERS` timed GETs of `url` after the warm-up, with the hub's CPU time per request. */
async function overHttp(url: string, pid: number) {
  await timed(WARMUP, () => fetchText(url));
  const cpu = cpuSeconds(pid);
  const result = await timed(RENDERS, () => fetchText(url));
  const cpuMs = ((cpuSeconds(pid) - cpu) * 1000) / RENDERS;
  const { text, wire, coding } = result.last;
  const tail = `   ${kib(Buffer.byteLength(text))}, ${kib(wire)} ${coding}   hub CPU ${cpuMs.toFixed(1)} ms/request`;
  return { ms: result.ms, text, tail };
}

async function main(): Promise<void> {
  const reuse = flags.has('--reuse') && !smoke && (await db.exists());
  if (!reuse) {
    const started = performance.now();
    await db.recreate();
    db.migrate();
    const database = openDatabase({ url: db.url, poolMax: 2, logger: createLogger('warn') });
    try {
      await seed(database.prisma);
    } finally {
      await database.close();
    }
    out(`data generation: ${((performance.now() - started) / 1000).toFixed(1)} s (${ENTRIES} entries)`);
  }

  out(`\nover HTTP (the hub as npm start runs it), ${RENDERS} sequential renders after ${WARMUP} warm-up:`);
  const hub = await startHub(db.url);
  const pid = hub.child.pid!;
  try {
    for (const lang of LANGS) {
      const html = await overHttp(`${hub.url}/guides/${SLUG}?lang=${lang}`, pid);
      const entries = html.text.match(/<article class="entry"/g)?.length ?? 0;
      if (entries !== ENTRIES) throw new Error(`page ${lang}: ${entries} entries, expected ${ENTRIES}`);
      out(summary(`  page ${lang}, ${entries} entries`, html.ms) + html.tail);
    }
    for (const lang of LANGS) {
      const ics = await overHttp(`${hub.url}/guides/${SLUG}.ics?lang=${lang}`, pid);
      const events = ics.text.match(/BEGIN:VEVENT/g)?.length ?? 0;
      out(summary(`  iCal ${lang}, ${events} events`, ics.ms) + ics.tail);
    }
  } finally {
    await stopHub(hub);
  }

  out(`\nin this process, without HTTP (${RENDERS} renders each):`);
  const database = openDatabase({ url: db.url, poolMax: 2, logger: createLogger('warn') });
  try {
    const today = localDate(new Date());
    const opts = { origin: 'http://localhost:4000', monday: mondayOf(today), today };
    for (const lang of LANGS) {
      await timed(WARMUP, () => publicGuide(database.prisma, SLUG, lang));
      const read = await timed(RENDERS, () => publicGuide(database.prisma, SLUG, lang));
      const guide = read.last;
      if (!guide) throw new Error('the bench guide is not published');
      await timed(WARMUP, () => renderGuidePage(guide, opts));
      const page = await timed(RENDERS, () => renderGuidePage(guide, opts));
      const ics = await timed(RENDERS, () => Promise.resolve(renderGuideCalendar(guide, opts)));
      const geo = await timed(RENDERS, () => Promise.resolve(JSON.stringify(guideGeoJson(guide, opts))));
      out(
        `  ${lang}: ${summary('read model', read.ms)}   ${summary('HTML', page.ms)}   ${summary('iCal', ics.ms)}   ${summary('GeoJSON', geo.ms)}`,
      );
    }
  } finally {
    await database.close();
  }
  out('\n(figures are printed, never asserted: goal under 50 ms each, warm)');
}

main()
  .then(
    () => (smoke ? db.drop() : undefined),
    async (err: unknown) => {
      console.error(err);
      if (smoke) await db.drop();
      process.exitCode = 1;
    },
  )
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
