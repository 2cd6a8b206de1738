/**
 * Referral inboxes and status changes under load (`npm run bench:referrals`), issue 4: "100,000
 * referrals with 1,000,000 events in PostgreSQL: inbox page of 50 with person, offer and last event,
 * and one status change, each at 20 concurrent clients. Goal on this machine: inbox p99 < 50 ms,
 * status change p99 < 30 ms; SQL statements per inbox page constant."
 *
 *  1. data: a PostgreSQL database `maillage_referrals_bench_test` (127.0.0.1:5432), migrated with
 *     the project's own command, filled with set-based SQL (generate_series, INSERT … SELECT):
 *     organisations with case workers, offers accepting referrals, referrals between sender and
 *     receiver organisations in a realistic mix of statuses (each with its person, a consent
 *     covering the receiver, optional need themes, needs in French, German or English) and their
 *     history of events in time order, consistent with each referral's status. `--reuse` keeps it.
 *  2. SQL statements per inbox page of 10 and of 50 and per status change, counted by a PostgreSQL
 *     wire-protocol proxy in front of a second, short-lived hub; EXPLAIN (ANALYZE, BUFFERS) of the
 *     SELECTs of one page of 50 of the busiest inbox.
 *  3. the hub as `npm start` runs it (NODE_ENV=production, LOG_LEVEL=warn), then three closed loads of 20
 *     concurrent keep-alive connections for `--duration` seconds each after a warm-up:
 *     - the inbox: each client a case worker of a different busy receiving organisation, reading
 *       the first page of 50 of its incoming referrals with totalCount, person, offer, sender and
 *       last event;
 *     - the SDK's inbox page (`ReferralInbox`, a typed operation of `@maillage/client/operations`
 *       that partner systems send with `hub.request`), by the same clients: the card, person,
 *       assignee, last event with its actor, and every event's type and status;
 *     - status changes: each client a case worker owning distinct IN_PROGRESS referrals of its
 *       organisation, alternating holdReferral and resumeReferral with the version it last read;
 *     then the inbox and the status changes again in an open loop (`loadAtRate`): requests due at
 *     a fixed rate below saturation (--inbox-rate, --step-rate), taken by the 20 clients in turn,
 *     so that a latency is a request's own time and not the closed loop's queue (20 /
 *     throughput); with the hub's garbage collection and event loop meanwhile (its /metrics);
 *  4. the same two loads, closed and open, through the raw SQL baseline, with the hub stopped: per request the
 *     caller's account and ONE hand-written statement (the page with its access-log rows; the
 *     locked, version-checked step with its event, whose outbox row the trigger adds) through a
 *     pg.Pool of 20 prepared statements, first checked to give the hub's page and to write what a
 *     step writes;
 *  4b. floors under the inbox page, without a database (bench/floor-server.ts): node:http answering
 *     the hub's page from memory, and Apollo Server 5 as the hub runs it executing the same document
 *     on a schema of the page's shape, every value read from the hub's answer;
 *  5. figures (requests, req/s, p50/p95/p99/max, errors, CPU per request) beside the goals, the
 *     hub's beside the raw SQL's and their ratio.
 *
 * Flags: --organisations N --offers N --referrals N --events N (data size), --busy N (incoming
 * referrals that make an organisation busy), --duration S, --warmup S, --inbox-rate N and
 * --step-rate N (the open loop's requests per second; 50 and 100), --reuse, --workers N (the
 * loaded hub runs with WEB_CONCURRENCY=N: a cluster primary and N workers, whose CPU is summed),
 * --profile DIR (the loaded hub runs with its inspector open; CPU profiles of each load go to DIR
 * and their breakdown is printed; CPU figures are then not comparable with an ordinary run),
 * --smoke (tiny data and 2 s per load in a throw-away database, for the test suite). Prints
 * figures and asserts none; exits non-zero only when something failed (the hub, a query, a
 * request).
 */
import { signUserToken } from '../src/modules/accounts/signing-keys.service.ts';
import { loadConfig } from '../src/shared/config.ts';
import { openDatabase } from '../src/shared/db/client.ts';
import { uuidv7 } from '../src/shared/ids.ts';
import { createLogger } from '../src/shared/logger.ts';
import { availableParallelism } from 'node:os';
import { print } from 'graphql';
import type pg from 'pg';
import { ReferralInboxDocument } from '../clients/generated/graphql.ts';
import {
  agent,
  COLD_HUB_WARMUP_S,
  benchDatabase,
  cpuBreakdown,
  heapBreakdown,
  figures,
  inspectHub,
  inspectOptions,
  load,
  loadAtRate,
  readRuntime,
  runtimeDelta,
  measureCpu,
  onInterrupt,
  oneLine,
  out,
  percentile,
  postGraphQL,
  RAW_APP,
  rawSqlPool,
  profiled,
  profileLines,
  readFlags,
  spread,
  startHub,
  stopHub,
  throughput,
  treeResidentKiB,
  withCountingHub,
  withFloor,
  FLOOR_APP,
  type CpuUse,
  type LoadResult,
  type Statement,
  REFERRAL_PATHS_SQL,
} from './lib.ts';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const flags = readFlags();
const smoke = flags.has('--smoke');
const reuse = flags.has('--reuse');

const size = {
  organisations: Math.round(flags.number('--organisations', smoke ? 20 : 200)),
  offers: Math.round(flags.number('--offers', smoke ? 200 : 2_000)),
  referrals: Math.round(flags.number('--referrals', smoke ? 2_000 : 100_000)),
  events: Math.round(flags.number('--events', smoke ? 20_000 : 1_000_000)),
};
/** Incoming referrals that make an organisation "busy" (smoke data has none that busy). */
const BUSY = Math.round(flags.number('--busy', smoke ? 1 : 500));
const durationS = flags.number('--duration', smoke ? 2 : 20);
const warmupS = flags.number('--warmup', smoke ? 1 : 3);
/** WEB_CONCURRENCY of the loaded hub. */
const workers = Math.round(flags.number('--workers', 1));
/** The open loop's rates (requests due per second): well below what the hub sustains in a closed loop. */
const inboxRate = flags.number('--inbox-rate', smoke ? 10 : 50);
const stepRate = flags.number('--step-rate', smoke ? 10 : 100);
/** `--profile DIR`: where the CPU profiles of the loaded hub go. */
const profileDir = flags.has('--profile') ? flags.word('--profile', '') : null;
if (profileDir === '') throw new Error('--profile needs a folder');
if (profileDir && workers > 1) throw new Error('--profile profiles one process: leave out --workers');
const CONCURRENCY = 20;
/** The loaded hub's METRICS_TOKEN, to read its garbage collection and event loop (bench only). */
const METRICS_TOKEN = 'bench-referrals-metrics-token';
const PAGE = 50;
/** IN_PROGRESS referrals each status-change client owns (fewer if its organisation has fewer). */
const OWNED = 5;
/** Case workers per organisation: #1 reads the inbox, #2 changes statuses, #3 is counted. */
const CASE_WORKERS = 3;
/**
 * The smoke run gets a database of its own, dropped at the end: the test suite must neither wipe
 * a full-size bench database someone keeps for `--reuse`, nor collide with a parallel test run.
 */
const db = benchDatabase(
  smoke ? `maillage_referrals_bench_test_smoke_${process.pid}` : 'maillage_referrals_bench_test',
);
onInterrupt(() => (smoke ? db.drop() : Promise.resolve()));

// ---------------------------------------------------------------------------------------------
// Vocabulary. Needs are put together from these in SQL: a situation, one or two needs of the
// referral's theme, practical details; in French, German or English as the sender writes.
// ---------------------------------------------------------------------------------------------

interface Text3 {
  fr: string;
  de: string;
  en: string;
}

interface NeedTheme {
  code: string;
  label: Text3;
  /** Offer titles of this theme. */
  offers: Text3[];
  /** What the person needs, as a case worker writes it. */
  needs: Text3[];
}

/** Most frequent first: the generator skews towards the top. */
const THEMES: NeedTheme[] = [
  {
    code: 'housing',
    label: { fr: 'Logement', de: 'Wohnen', en: 'Housing' },
    offers: [
      { fr: 'Accompagnement au logement', de: 'Wohnbegleitung', en: 'Housing support' },
      { fr: "Hébergement d'urgence", de: 'Notunterkunft', en: 'Emergency shelter' },
      { fr: 'Logement social', de: 'Sozialwohnung', en: 'Social housing' },
    ],
    needs: [
      {
        fr: "Menacée d'expulsion à la fin du mois, elle cherche un logement abordable ou un hébergement d'urgence.",
        de: 'Ihr droht Ende des Monats die Räumung; sie sucht eine bezahlbare Wohnung oder eine Notunterkunft.',
        en: 'Facing eviction at the end of the month, she needs affordable housing or an emergency shelter.',
      },
      {
        fr: 'Vit à six dans un studio insalubre; demande un logement social et une aide pour la garantie locative.',
        de: 'Lebt zu sechst in einer feuchten Einzimmerwohnung; beantragt eine Sozialwohnung und Hilfe bei der Mietkaution.',
        en: 'Six people living in a damp studio; applying for social housing and help with the rent deposit.',
      },
    ],
  },
  {
    code: 'debt',
    label: { fr: 'Dettes', de: 'Schulden', en: 'Debt' },
    offers: [
      { fr: 'Conseil en dettes', de: 'Schuldnerberatung', en: 'Debt counselling' },
      { fr: 'Gestion du budget', de: 'Budgetberatung', en: 'Budget management' },
    ],
    needs: [
      {
        fr: 'Plusieurs factures impayées (électricité, loyer, crédit); souhaite établir un plan de remboursement.',
        de: 'Mehrere unbezahlte Rechnungen (Strom, Miete, Kredit); möchte einen Rückzahlungsplan aufstellen.',
        en: 'Several unpaid bills (electricity, rent, a loan); wants to set up a repayment plan.',
      },
      {
        fr: 'Saisie sur salaire en cours; a besoin d’aide pour gérer son budget et négocier avec les créanciers.',
        de: 'Lohnpfändung läuft; braucht Hilfe beim Budget und bei Verhandlungen mit den Gläubigern.',
        en: 'Wages are being garnished; needs help with the budget and negotiating with creditors.',
      },
    ],
  },
  {
    code: 'language',
    label: { fr: 'Langues', de: 'Sprachen', en: 'Languages' },
    offers: [
      { fr: 'Cours de français', de: 'Französischkurs', en: 'French classes' },
      { fr: 'Cours de luxembourgeois', de: 'Luxemburgischkurs', en: 'Luxembourgish classes' },
      { fr: "Cours d'allemand", de: 'Deutschkurs', en: 'German classes' },
    ],
    needs: [
      {
        fr: 'Souhaite suivre un cours de français du niveau A1 pour pouvoir chercher du travail.',
        de: 'Möchte einen Französischkurs auf Niveau A1 besuchen, um Arbeit suchen zu können.',
        en: 'Would like a French course at level A1 to be able to look for work.',
      },
      {
        fr: 'Prépare le test de langue luxembourgeoise pour la nationalité; cherche un cours du soir.',
        de: 'Bereitet den Luxemburgisch-Sprachtest für die Staatsbürgerschaft vor; sucht einen Abendkurs.',
        en: 'Preparing the Luxembourgish language test for citizenship; looking for an evening course.',
      },
    ],
  },
  {
    code: 'employment',
    label: { fr: 'Emploi', de: 'Arbeit', en: 'Employment' },
    offers: [
      { fr: "Recherche d'emploi", de: 'Arbeitssuche', en: 'Job search' },
      { fr: 'Insertion professionnelle', de: 'Berufliche Eingliederung', en: 'Work integration' },
    ],
    needs: [
      {
        fr: "Sans emploi depuis un an, inscrite à l'ADEM; a besoin d'aide pour rédiger un CV et préparer les entretiens.",
        de: 'Seit einem Jahr arbeitslos, bei der ADEM gemeldet; braucht Hilfe beim Lebenslauf und bei Vorstellungsgesprächen.',
        en: 'Out of work for a year and registered with ADEM; needs help with a CV and job interviews.',
      },
      {
        fr: 'Diplôme étranger non reconnu; cherche une formation qualifiante ou un emploi d’insertion.',
        de: 'Ausländischer Abschluss nicht anerkannt; sucht eine Ausbildung oder eine Eingliederungsstelle.',
        en: 'Foreign diploma not recognised; looking for vocational training or a supported job.',
      },
    ],
  },
  {
    code: 'health',
    label: { fr: 'Santé', de: 'Gesundheit', en: 'Health' },
    offers: [
      { fr: 'Consultation psychologique', de: 'Psychologische Beratung', en: 'Psychological counselling' },
      { fr: 'Accès aux soins', de: 'Zugang zur Versorgung', en: 'Access to care' },
    ],
    needs: [
      {
        fr: 'Signes de dépression depuis la perte de son emploi; accepte un suivi psychologique.',
        de: 'Anzeichen einer Depression seit dem Verlust der Arbeit; ist mit psychologischer Begleitung einverstanden.',
        en: 'Signs of depression since losing the job; agrees to psychological support.',
      },
      {
        fr: "Pas d'affiliation à la CNS; a besoin de soins dentaires et d'une aide pour les démarches.",
        de: 'Nicht bei der CNS versichert; braucht eine Zahnbehandlung und Hilfe bei den Formalitäten.',
        en: 'No CNS health insurance; needs dental care and help with the paperwork.',
      },
    ],
  },
  {
    code: 'family',
    label: { fr: 'Famille', de: 'Familie', en: 'Family' },
    offers: [
      { fr: 'Soutien à la parentalité', de: 'Elternberatung', en: 'Parenting support' },
      { fr: 'Médiation familiale', de: 'Familienmediation', en: 'Family mediation' },
    ],
    needs: [
      {
        fr: 'Séparation difficile, deux enfants en bas âge; demande une médiation familiale.',
        de: 'Schwierige Trennung, zwei kleine Kinder; wünscht eine Familienmediation.',
        en: 'Difficult separation with two young children; asks for family mediation.',
      },
      {
        fr: 'Mère épuisée, cherche une place en crèche et un soutien à la parentalité.',
        de: 'Erschöpfte Mutter, sucht einen Krippenplatz und Unterstützung bei der Erziehung.',
        en: 'Exhausted mother looking for a childcare place and parenting support.',
      },
    ],
  },
  {
    code: 'migration',
    label: { fr: 'Migration', de: 'Migration', en: 'Migration' },
    offers: [
      { fr: 'Aide administrative', de: 'Behördenhilfe', en: 'Help with paperwork' },
      {
        fr: "Accompagnement des demandeurs d'asile",
        de: 'Begleitung von Asylsuchenden',
        en: 'Asylum support',
      },
    ],
    needs: [
      {
        fr: 'Titre de séjour expirant dans deux mois; a besoin d’aide pour le dossier de renouvellement.',
        de: 'Aufenthaltstitel läuft in zwei Monaten ab; braucht Hilfe beim Verlängerungsantrag.',
        en: 'Residence permit expires in two months; needs help with the renewal file.',
      },
      {
        fr: 'Demandeur de protection internationale, arrivé récemment; cherche une orientation générale.',
        de: 'Antragsteller auf internationalen Schutz, kürzlich angekommen; sucht eine allgemeine Orientierung.',
        en: 'Recently arrived applicant for international protection; looking for general guidance.',
      },
    ],
  },
  {
    code: 'food',
    label: { fr: 'Alimentation', de: 'Ernährung', en: 'Food' },
    offers: [
      { fr: 'Épicerie sociale', de: 'Sozialladen', en: 'Social grocery' },
      { fr: 'Aide alimentaire', de: 'Lebensmittelhilfe', en: 'Food aid' },
    ],
    needs: [
      {
        fr: "Revenus insuffisants jusqu'au versement du REVIS; demande un accès à l'épicerie sociale.",
        de: 'Kein ausreichendes Einkommen bis zur REVIS-Zahlung; beantragt Zugang zum Sozialladen.',
        en: 'Not enough income until the REVIS payment arrives; asks for access to the social grocery.',
      },
    ],
  },
  {
    code: 'youth',
    label: { fr: 'Jeunesse', de: 'Jugend', en: 'Youth' },
    offers: [
      { fr: 'Soutien scolaire', de: 'Nachhilfe', en: 'Homework help' },
      { fr: 'Écoute jeunes', de: 'Jugendberatung', en: 'Youth counselling' },
    ],
    needs: [
      {
        fr: 'Jeune de 17 ans en décrochage scolaire; cherche un accompagnement et une activité le soir.',
        de: '17-Jähriger, der die Schule abzubrechen droht; sucht Begleitung und eine Abendaktivität.',
        en: '17-year-old dropping out of school; needs support and an evening activity.',
      },
    ],
  },
  {
    code: 'violence',
    label: { fr: 'Violence', de: 'Gewalt', en: 'Violence' },
    offers: [
      { fr: 'Foyer pour femmes', de: 'Frauenhaus', en: "Women's shelter" },
      { fr: 'Aide aux victimes', de: 'Opferhilfe', en: 'Victim support' },
    ],
    needs: [
      {
        fr: 'Victime de violence domestique, a quitté le domicile avec ses enfants; urgence d’hébergement protégé.',
        de: 'Opfer häuslicher Gewalt, hat mit den Kindern die Wohnung verlassen; braucht dringend eine geschützte Unterkunft.',
        en: 'Victim of domestic violence, left home with the children; urgently needs protected accommodation.',
      },
    ],
  },
  {
    code: 'seniors',
    label: { fr: 'Seniors', de: 'Senioren', en: 'Seniors' },
    offers: [
      { fr: 'Aide à domicile', de: 'Häusliche Pflege', en: 'Home care' },
      { fr: 'Rompre la solitude', de: 'Gegen Einsamkeit', en: 'Against loneliness' },
    ],
    needs: [
      {
        fr: 'Personne âgée seule, de moins en moins autonome; demande une aide à domicile et des visites.',
        de: 'Allein lebende ältere Person, zunehmend unselbstständig; wünscht häusliche Hilfe und Besuche.',
        en: 'Older person living alone and losing independence; asks for home help and visits.',
      },
    ],
  },
  {
    code: 'addiction',
    label: { fr: 'Addictions', de: 'Sucht', en: 'Addiction' },
    offers: [{ fr: 'Consultation addictions', de: 'Suchtberatung', en: 'Addiction counselling' }],
    needs: [
      {
        fr: "Consommation d'alcool en hausse depuis la séparation; prêt à rencontrer un service spécialisé.",
        de: 'Steigender Alkoholkonsum seit der Trennung; bereit, eine Fachstelle aufzusuchen.',
        en: 'Drinking more since the separation; ready to meet a specialised service.',
      },
    ],
  },
];

/** Who the person is, first sentence of the needs. */
const SITUATIONS: Text3[] = [
  {
    fr: 'Mère seule avec deux enfants.',
    de: 'Alleinerziehende Mutter mit zwei Kindern.',
    en: 'Single mother with two children.',
  },
  {
    fr: 'Homme de 45 ans, vit seul.',
    de: 'Mann, 45 Jahre, lebt allein.',
    en: 'Man aged 45, living alone.',
  },
  {
    fr: 'Jeune adulte sorti récemment d’un foyer.',
    de: 'Junger Erwachsener, hat kürzlich ein Heim verlassen.',
    en: 'Young adult who recently left a care home.',
  },
  {
    fr: 'Famille arrivée au Luxembourg il y a six mois.',
    de: 'Familie, seit sechs Monaten in Luxemburg.',
    en: 'Family who arrived in Luxembourg six months ago.',
  },
  { fr: 'Couple de retraités.', de: 'Rentnerehepaar.', en: 'Retired couple.' },
  {
    fr: 'Travailleuse frontalière ayant perdu son emploi.',
    de: 'Grenzgängerin, die ihre Arbeit verloren hat.',
    en: 'Cross-border worker who lost her job.',
  },
];

/** Practical details, last sentence of the needs. */
const DETAILS: Text3[] = [
  {
    fr: 'Parle surtout portugais; joignable le matin.',
    de: 'Spricht vor allem Portugiesisch; morgens erreichbar.',
    en: 'Speaks mainly Portuguese; reachable in the morning.',
  },
  {
    fr: 'Merci de contacter la personne par téléphone.',
    de: 'Bitte die Person telefonisch kontaktieren.',
    en: 'Please contact the person by phone.',
  },
  {
    fr: 'Suivi par notre service depuis mars.',
    de: 'Wird seit März von unserem Dienst begleitet.',
    en: 'Followed by our service since March.',
  },
  {
    fr: 'Rendez-vous possible à notre antenne si besoin.',
    de: 'Termin in unserer Beratungsstelle möglich.',
    en: 'An appointment at our office is possible if needed.',
  },
  { fr: '', de: '', en: '' },
];

const HOLD_REASONS = [
  'Personne hospitalisée, reprise prévue dans deux semaines.',
  'Person im Urlaub bis Monatsende.',
  'Waiting for documents from the commune.',
];
/** The reason a hold at `version` gives, for the hub's load and the raw SQL's alike. */
const holdReason = (version: number) => HOLD_REASONS[version % HOLD_REASONS.length]!;
const OUTCOMES = [
  'Logement trouvé, suivi clôturé.',
  'Plan de remboursement signé avec les créanciers.',
  'Kurs erfolgreich abgeschlossen (Niveau A2).',
  'Person found a job; support ended.',
];
const DECLINES: { code: string; text: string }[] = [
  { code: 'NO_CAPACITY', text: 'Plus de places disponibles ce trimestre.' },
  { code: 'NOT_ELIGIBLE', text: 'Ne remplit pas les conditions d’accès (âge).' },
  { code: 'OUT_OF_AREA', text: 'Hors de notre zone d’intervention.' },
  { code: 'PERSON_UNREACHABLE', text: 'Person trotz drei Versuchen nicht erreichbar.' },
  { code: 'PERSON_REFUSED', text: 'The person no longer wishes to take part.' },
  { code: 'DUPLICATE', text: 'Doublon d’une demande déjà en cours.' },
];
const CANCEL_REASONS = [
  'La personne a trouvé une autre solution.',
  'Person ist umgezogen.',
  'Sent to the wrong offer.',
];
const CONSENT_PURPOSE: Text3 = {
  fr: "Orientation vers l'offre et suivi de la demande",
  de: 'Vermittlung an das Angebot und Begleitung der Anfrage',
  en: 'Referral to the offer and follow-up of the request',
};

// prettier-ignore
const FIRST_NAMES = [
  'Ana', 'João', 'Maria', 'Luc', 'Sophie', 'Tom', 'Laura', 'Mohamed', 'Fatima', 'Yonas',
  'Olena', 'Mehdi', 'Carla', 'Pedro', 'Jeanne', 'Marc', 'Nadia', 'Sven', 'Lea', 'Amir',
];
// prettier-ignore
const LAST_NAMES = [
  'Da Silva', 'Ferreira', 'Schmit', 'Muller', 'Weber', 'Hoffmann', 'Wagner', 'Dupont', 'Martin',
  'Rodrigues', 'Haddad', 'Tesfaye', 'Kovalenko', 'Rossi', 'Thill', 'Kieffer', 'Santos', 'Ahmadi',
];
/** Languages a person speaks, common combinations first. */
// prettier-ignore
const LANGUAGE_SETS = [
  ['fr'], ['pt', 'fr'], ['lb', 'de', 'fr'], ['pt'], ['de'], ['fr', 'en'], ['ar', 'fr'], ['en'],
  ['ti'], ['uk', 'ru'], ['fa'], ['it', 'fr'], ['es'], ['sr', 'de'],
];
// prettier-ignore
const COMMUNES = [
  'Luxembourg', 'Esch-sur-Alzette', 'Differdange', 'Dudelange', 'Pétange', 'Sanem', 'Hesperange',
  'Bettembourg', 'Schifflange', 'Ettelbruck', 'Diekirch', 'Mersch', 'Strassen', 'Wiltz',
  'Echternach', 'Grevenmacher', 'Junglinster', 'Mamer', 'Bertrange', 'Kayl',
];
const ORG_PREFIXES = [
  'Association',
  'Fondation',
  'Centre',
  'Service',
  'Réseau',
  'Maison',
  'Initiative',
  'Entraide',
];
const ORG_WORDS = [
  'Solidarité',
  'Espoir',
  'Accueil',
  'Horizon',
  'Passerelle',
  'Ensemble',
  'Avenir',
  'Zesummen',
];

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

/**
 * Fills the database in a handful of set-based statements. Ids are derived from row numbers
 * (md5 → uuid) so that later statements refer to rows without lookups; `setseed` makes the data
 * the same on every run. A referral's events follow its status path (CREATED, then one
 * STATUS_CHANGED per step) with messages and assignments in between, in time order; its
 * sentAt, firstAnswerAt, closedAt, version and updatedAt agree with them.
 */
async function generate(client: pg.Client): Promise<void> {
  const { organisations, offers, referrals, events } = size;
  await client.query('BEGIN');
  await client.query('SET LOCAL synchronous_commit = off');
  // Past history, not live changes: no trigger fires (the outbox stays empty, as after an import).
  await client.query('SET LOCAL session_replication_role = replica');
  await client.query('SELECT setseed(0.4242)');

  await client.query(
    `INSERT INTO "Theme" (id, code, label, position, "updatedAt")
     SELECT md5('theme-' || t.code)::uuid, t.code, t.label, t.ord - 1, now()
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(t0, ord)
     CROSS JOIN LATERAL (SELECT e.t0->>'code' AS code, e.t0->'label' AS label, e.ord) t`,
    [JSON.stringify(THEMES)],
  );

  // Every tenth organisation is a commune's social office: they send most referrals.
  await client.query(
    `INSERT INTO "Organisation" (id, slug, name, kind, email, "createdAt", "updatedAt")
     SELECT md5('org-' || n)::uuid, 'bench-org-' || n, name, kind::"OrganisationKind",
       'contact' || n || '@bench.example', now() - interval '3 years', now() - interval '30 days'
     FROM (
       SELECT n,
         CASE WHEN n % 10 = 1 THEN 'Office social de ' || commune
              ELSE prefix || ' ' || word || ' ' || commune || ' ' || n END AS name,
         CASE WHEN n % 10 = 1 THEN 'COMMUNE_SOCIAL_OFFICE' WHEN prefix = 'Fondation' THEN 'FOUNDATION'
              ELSE 'ASSOCIATION' END AS kind
       FROM (
         SELECT n, ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int] AS prefix,
           ($3::text[])[1 + floor(random() * cardinality($3::text[]))::int] AS word,
           ($4::text[])[1 + (n / 10) % cardinality($4::text[])] AS commune
         FROM generate_series(1, $1::int) n
       ) p
     ) named`,
    [organisations, ORG_PREFIXES, ORG_WORDS, COMMUNES],
  );

  // Case workers 1…CASE_WORKERS and an admin per organisation.
  await client.query(
    `INSERT INTO "User" (id, email, name, locale, "createdAt", "updatedAt")
     SELECT md5('user-' || n || '-' || k)::uuid, 'user' || k || '.org' || n || '@bench.example',
       ($3::text[])[1 + (n * 7 + k) % cardinality($3::text[])] || ' ' || ($4::text[])[1 + (n + k * 5) % cardinality($4::text[])],
       'fr', now() - interval '2 years', now() - interval '2 years'
     FROM generate_series(1, $1::int) n, generate_series(1, $2::int + 1) k`,
    [organisations, CASE_WORKERS, FIRST_NAMES, LAST_NAMES],
  );
  await client.query(
    `INSERT INTO "Membership" (id, "userId", "organisationId", roles, "createdAt")
     SELECT md5('member-' || n || '-' || k)::uuid, md5('user-' || n || '-' || k)::uuid, md5('org-' || n)::uuid,
       CASE WHEN k <= $2 THEN ARRAY['CASE_WORKER'] ELSE ARRAY['ORG_ADMIN', 'CATALOGUE_EDITOR'] END::"Role"[],
       now() - interval '2 years'
     FROM generate_series(1, $1::int) n, generate_series(1, $2::int + 1) k`,
    [organisations, CASE_WORKERS],
  );

  // Offers, more of them at big organisations (random()²); each with one theme.
  await client.query(
    `CREATE TEMP TABLE bench_offer ON COMMIT DROP AS
     SELECT n, md5('offer-' || n)::uuid AS id,
       CASE WHEN n <= $2 THEN n ELSE 1 + floor($2 * power(random(), 2))::int END AS org_n,
       floor($3 * power(random(), 1.5))::int AS topic,
       random() AS r
     FROM generate_series(1, $1::int) n`,
    [offers, organisations, THEMES.length],
  );
  await client.query(
    `INSERT INTO "Offer" (id, "organisationId", title, description, status, version, audiences, languages,
       "serviceArea", "acceptsReferrals", "responseDays", "capacityPlaces", "capacityFree", waitlist,
       "publishedAt", "createdAt", "updatedAt")
     SELECT b.id, md5('org-' || b.org_n)::uuid,
       jsonb_build_object('fr', s->>'fr' || ' – ' || c, 'de', s->>'de' || ' – ' || c, 'en', s->>'en' || ' – ' || c),
       jsonb_build_object('fr', (t->'label'->>'fr') || ' à ' || c || '.', 'de', (t->'label'->>'de') || ' in ' || c || '.'),
       'PUBLISHED', 1, ARRAY['EVERYONE']::"Audience"[], ARRAY['fr', 'de', 'lb'], ARRAY[c],
       true, 2 + floor(b.r * 4)::int,
       CASE WHEN b.r < 0.4 THEN 10 + floor(b.r * 100)::int END, CASE WHEN b.r < 0.4 THEN 3 END, b.r < 0.1,
       now() - interval '2 years', now() - interval '2 years', now() - interval '90 days'
     FROM bench_offer b
     CROSS JOIN LATERAL (SELECT $1::jsonb -> b.topic AS t) v
     CROSS JOIN LATERAL (SELECT t->'offers' -> floor(b.r * jsonb_array_length(t->'offers'))::int AS s,
       ($2::text[])[1 + b.n % cardinality($2::text[])] AS c) w`,
    [JSON.stringify(THEMES), COMMUNES],
  );
  await client.query(
    `INSERT INTO "_OfferToTheme" ("A", "B")
     SELECT b.id, md5('theme-' || ($1::jsonb -> b.topic ->> 'code'))::uuid FROM bench_offer b`,
    [JSON.stringify(THEMES)],
  );

  // The referrals' picks. Receivers are the offers' organisations (offers picked uniformly, so big
  // organisations receive most); senders skew towards the first organisations (the social offices
  // among them send most). Recent referrals are still open, older ones mostly closed.
  await client.query(
    `CREATE TEMP TABLE bench_ref_pick ON COMMIT DROP AS
     SELECT p.n, md5('referral-' || p.n)::uuid AS id, o.n AS offer_n, o.id AS offer_id, o.org_n AS receiver_n,
       o.topic, CASE WHEN p.s0 = o.org_n THEN p.s0 % $3::int + 1 ELSE p.s0 END AS sender_n,
       now() - p.age AS created, p.age, p.rs, p.rv, p.rl, p.rx
     FROM (
       SELECT n, 1 + floor(random() * $2)::int AS pick, 1 + floor($3 * power(random(), 1.5))::int AS s0,
         interval '1 hour' + interval '400 days' * power(random(), 1.4) AS age,
         random() AS rs, random() AS rv, random() AS rl, random() AS rx
       FROM generate_series(1, $1::int) n
     ) p
     JOIN bench_offer o ON o.n = p.pick`,
    [referrals, offers, organisations],
  );
  await client.query(REFERRAL_PATHS_SQL, [events / referrals]);
  // When each event happens: the k-th of n at created + (k - 1) · gap; path step j is event
  // 1 + ceil((j - 1) · n / p), so that steps spread over the history with messages between them.
  await client.query(
    `ALTER TABLE bench_ref ADD COLUMN gap interval, ADD COLUMN lang text, ADD COLUMN withdrawn boolean`,
  );
  await client.query(
    `UPDATE bench_ref SET
       gap = least(age, interval '150 days') * (0.3 + 0.7 * rx) / n_events,
       lang = CASE WHEN rl < 0.6 THEN 'fr' WHEN rl < 0.9 THEN 'de' ELSE 'en' END,
       withdrawn = status = 'CANCELLED' AND rx < 0.2`,
  );
  const stepAt = (j: string) => `r.created + r.gap * (((${j} - 1) * r.n_events + r.p - 1) / r.p)`;

  await client.query(
    `INSERT INTO "Referral" (id, reference, "senderOrganisationId", "senderUserId", "receiverOrganisationId",
       "offerId", status, urgency, needs, "assigneeUserId", "dueAt", "sentAt", "firstAnswerAt", "closedAt",
       "statusReason", "declineReason", outcome, waitlisted, version, "createdAt", "updatedAt")
     SELECT r.id, 'REF-' || extract(year FROM r.created)::int || '-' || lpad(r.n::text, 6, '0'),
       md5('org-' || r.sender_n)::uuid, md5('user-' || r.sender_n || '-' || (1 + r.n % $5))::uuid,
       md5('org-' || r.receiver_n)::uuid, r.offer_id, r.status::"ReferralStatus",
       (CASE WHEN r.rx < 0.8 THEN 'ROUTINE' WHEN r.rx < 0.95 THEN 'URGENT' ELSE 'ASAP' END)::"ReferralUrgency",
       btrim(concat_ws(' ', $1::jsonb -> (r.n % jsonb_array_length($1::jsonb)) ->> r.lang,
         ($2::jsonb -> r.topic -> 'needs' -> (r.n % jsonb_array_length($2::jsonb -> r.topic -> 'needs'))) ->> r.lang,
         CASE WHEN r.rv < 0.3 THEN ($2::jsonb -> ((r.topic + 1 + r.n % 3) % jsonb_array_length($2::jsonb)) -> 'needs' -> 0) ->> r.lang END,
         $3::jsonb -> (r.n % jsonb_array_length($3::jsonb)) ->> r.lang)),
       CASE WHEN r.path && '{ACCEPTED,IN_PROGRESS}' THEN md5('user-' || r.receiver_n || '-' || (1 + r.n % $5))::uuid END,
       CASE WHEN r.p >= 2 THEN ${stepAt('2')} + interval '1 day' * (o."responseDays" + 1) END,
       CASE WHEN r.p >= 2 THEN ${stepAt('2')} END,
       CASE WHEN r.p >= 3 AND r.path[3] IN ('RECEIVED', 'ACCEPTED', 'DECLINED') THEN ${stepAt('3')} END,
       CASE WHEN r.status IN ('COMPLETED', 'DECLINED', 'CANCELLED') THEN ${stepAt('r.p')} END,
       CASE WHEN r.status = 'ON_HOLD' THEN ($6::text[])[1 + r.n % cardinality($6::text[])]
            WHEN r.status = 'DECLINED' THEN ($4::jsonb -> (r.n % jsonb_array_length($4::jsonb))) ->> 'text'
            WHEN r.withdrawn THEN 'Consent withdrawn'
            WHEN r.status = 'CANCELLED' THEN ($7::text[])[1 + r.n % cardinality($7::text[])] END,
       CASE WHEN r.status = 'DECLINED' THEN (($4::jsonb -> (r.n % jsonb_array_length($4::jsonb))) ->> 'code')::"DeclineReason" END,
       CASE WHEN r.status = 'COMPLETED' THEN ($8::text[])[1 + r.n % cardinality($8::text[])] END,
       o.waitlist AND r.rv < 0.5, r.p, r.created, r.created + r.gap * (r.n_events - 1)
     FROM bench_ref r JOIN "Offer" o ON o.id = r.offer_id`,
    [
      JSON.stringify(SITUATIONS),
      JSON.stringify(THEMES),
      JSON.stringify(DETAILS),
      JSON.stringify(DECLINES),
      CASE_WORKERS,
      HOLD_REASONS,
      CANCEL_REASONS,
      OUTCOMES,
    ],
  );
  await client.query(`SELECT setval('"Referral_reference_seq"', $1)`, [referrals]);

  await client.query(
    `INSERT INTO "ReferralPerson" ("referralId", name, initials, "birthYear", languages, "contactChannel",
       contact, "interpreterNeeded")
     SELECT r.id, f || ' ' || l, left(f, 1) || '. ' || left(l, 1) || '.',
       2008 - floor(70 * power(r.rl, 1.3))::int,
       ARRAY(SELECT jsonb_array_elements_text($3::jsonb -> floor(jsonb_array_length($3::jsonb) * power(r.rv, 1.5))::int)),
       (ARRAY['PHONE', 'PHONE', 'EMAIL', 'SMS', 'THROUGH_SENDER', 'IN_PERSON'])[1 + r.n % 6]::"ContactChannel",
       CASE WHEN r.n % 6 = 2 THEN 'person' || r.n || '@mail.example' WHEN r.n % 6 < 4 THEN '+352 691 ' || lpad((r.n % 1000000)::text, 6, '0') END,
       r.rx < 0.15
     FROM bench_ref r
     CROSS JOIN LATERAL (SELECT ($1::text[])[1 + r.n % cardinality($1::text[])] AS f,
       ($2::text[])[1 + (r.n / 7) % cardinality($2::text[])] AS l) nm`,
    [FIRST_NAMES, LAST_NAMES, JSON.stringify(LANGUAGE_SETS)],
  );
  await client.query(
    `INSERT INTO "Consent" (id, "referralId", "recordedByUserId", "recordedAt", purpose,
       "recipientOrganisationIds", "expiresAt", "withdrawnAt", "withdrawnByUserId")
     SELECT md5('consent-' || r.n)::uuid, r.id, md5('user-' || r.sender_n || '-' || (1 + r.n % $2))::uuid, r.created,
       $1::jsonb ->> r.lang, ARRAY[md5('org-' || r.receiver_n)::uuid], r.created + interval '1 year',
       CASE WHEN r.withdrawn THEN ${stepAt('r.p')} END,
       CASE WHEN r.withdrawn THEN md5('user-' || r.sender_n || '-' || (1 + r.n % $2))::uuid END
     FROM bench_ref r`,
    [JSON.stringify(CONSENT_PURPOSE), CASE_WORKERS],
  );
  // Need themes are optional: 60 % have the offer's theme, a few another one too.
  await client.query(
    `INSERT INTO "_ReferralThemes" ("A", "B")
     SELECT r.id, md5('theme-' || ($1::jsonb -> r.topic ->> 'code'))::uuid FROM bench_ref r WHERE r.rl < 0.6
     UNION
     SELECT r.id, md5('theme-' || ($1::jsonb -> ((r.topic + 1 + r.n % 3) % jsonb_array_length($1::jsonb)) ->> 'code'))::uuid
     FROM bench_ref r WHERE r.rv < 0.3`,
    [JSON.stringify(THEMES)],
  );

  // The history. Event k of a referral is path step j = floor((k - 1) · p / n) + 1 when that
  // step first appears at k (k = 1 is always CREATED), otherwise a message or an assignment.
  await client.query(
    `INSERT INTO "ReferralEvent" (id, "referralId", type, "fromStatus", "toStatus", "actorUserId",
       "actorOrganisationId", note, at)
     SELECT md5('event-' || r.n || '-' || k)::uuid, r.id, e.type,
       CASE WHEN e.is_path AND e.j > 1 THEN r.path[e.j - 1]::"ReferralStatus" END,
       CASE WHEN e.is_path THEN r.path[e.j]::"ReferralStatus" END,
       md5('user-' || (CASE WHEN e.by_sender THEN r.sender_n ELSE r.receiver_n END) || '-' || (1 + r.n % $1))::uuid,
       md5('org-' || (CASE WHEN e.by_sender THEN r.sender_n ELSE r.receiver_n END))::uuid,
       CASE WHEN NOT e.is_path OR e.j = 1 THEN NULL
            WHEN r.path[e.j] = 'ON_HOLD' THEN ($2::text[])[1 + k % cardinality($2::text[])]
            WHEN r.path[e.j] = 'DECLINED' THEN ($3::jsonb -> (r.n % jsonb_array_length($3::jsonb))) ->> 'text'
            WHEN r.path[e.j] = 'CANCELLED' AND r.withdrawn THEN NULL
            WHEN r.path[e.j] = 'CANCELLED' THEN ($4::text[])[1 + r.n % cardinality($4::text[])]
            WHEN r.path[e.j] = 'COMPLETED' THEN ($5::text[])[1 + r.n % cardinality($5::text[])] END,
       r.created + r.gap * (k - 1)
     FROM bench_ref r
     CROSS JOIN LATERAL generate_series(1, r.n_events) k
     CROSS JOIN LATERAL (SELECT k = 1 OR (k - 1) * r.p / r.n_events > (k - 2) * r.p / r.n_events AS is_path,
       (k - 1) * r.p / r.n_events + 1 AS j, random() AS rf) s
     CROSS JOIN LATERAL (SELECT s.is_path, s.j,
       CASE WHEN NOT s.is_path AND s.rf < 0.2 AND r.path[s.j] IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD') THEN 'ASSIGNED'
            WHEN NOT s.is_path THEN 'MESSAGE'
            WHEN s.j = 1 THEN 'CREATED'
            WHEN s.j = r.p AND r.withdrawn THEN 'CONSENT_WITHDRAWN'
            ELSE 'STATUS_CHANGED' END AS type,
       CASE WHEN NOT s.is_path THEN s.rf >= 0.6 -- messages from either side, assignments by the receiver
            ELSE s.j = 1 OR r.path[s.j] = 'SENT' OR (r.path[s.j] = 'CANCELLED' AND r.p <= 3) OR (s.j = r.p AND r.withdrawn) END
         AS by_sender) e`,
    [CASE_WORKERS, HOLD_REASONS, JSON.stringify(DECLINES), CANCEL_REASONS, OUTCOMES],
  );
  await client.query('COMMIT');
  // VACUUM sets the visibility map (index-only counts), ANALYZE the statistics the planner needs.
  for (const table of [
    'Organisation',
    'User',
    'Membership',
    'Theme',
    'Offer',
    '_OfferToTheme',
    'Referral',
    'ReferralPerson',
    'Consent',
    '_ReferralThemes',
    'ReferralEvent',
  ]) {
    await client.query(`VACUUM (ANALYZE) "${table}"`);
  }
}

interface DataStats {
  organisations: number;
  users: number;
  offers: number;
  referrals: number;
  events: number;
  persons: number;
  consents: number;
  themeLinks: number;
  statuses: Record<string, number>;
}

async function dataStats(client: pg.Client): Promise<DataStats> {
  const { rows } = await client.query<Omit<DataStats, 'statuses'>>(`SELECT
    (SELECT count(*)::int FROM "Organisation") AS organisations,
    (SELECT count(*)::int FROM "User") AS users,
    (SELECT count(*)::int FROM "Offer" WHERE "acceptsReferrals") AS offers,
    (SELECT count(*)::int FROM "Referral") AS referrals,
    (SELECT count(*)::int FROM "ReferralEvent") AS events,
    (SELECT count(*)::int FROM "ReferralPerson") AS persons,
    (SELECT count(*)::int FROM "Consent") AS consents,
    (SELECT count(*)::int FROM "_ReferralThemes") AS "themeLinks"`);
  const statuses = await client.query<{ status: string; n: number }>(
    `SELECT status::text, count(*)::int AS n FROM "Referral" GROUP BY status ORDER BY n DESC`,
  );
  return { ...rows[0]!, statuses: Object.fromEntries(statuses.rows.map((r) => [r.status, r.n])) };
}

// ---------------------------------------------------------------------------------------------
// Who asks: case workers of busy receiving organisations, and the referrals they change
// ---------------------------------------------------------------------------------------------

interface Worker {
  organisationId: string;
  organisationName: string;
  incoming: number;
  userId: string;
  email: string;
  token: string;
}

interface OwnedReferral {
  id: string;
  /** Relay global id (base64 of "Referral:<uuid>"). */
  globalId: string;
  reference: string;
  version: number;
  status: 'IN_PROGRESS' | 'ON_HOLD';
}

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
/** The database id in a relay global id (of any type). */
const databaseId = (id: string) => Buffer.from(id, 'base64').toString('utf8').replace(/^\w+:/, '');

/**
 * CONCURRENCY busy receiving organisations (≥ BUSY incoming referrals), spread over the busy ones
 * from the busiest down; fewer distinct ones if there are not that many.
 */
async function pickOrganisations(
  client: pg.Client,
): Promise<{ id: string; name: string; incoming: number; n: number }[]> {
  const { rows } = await client.query<{ id: string; name: string; incoming: number; n: number }>(
    `SELECT o.id, o.name, c.incoming, substring(o.slug FROM 'bench-org-(\\d+)')::int AS n
     FROM (SELECT "receiverOrganisationId" AS id, count(*)::int AS incoming FROM "Referral"
           GROUP BY 1 HAVING count(*) >= $1) c
     JOIN "Organisation" o USING (id)
     ORDER BY c.incoming DESC, o.id`,
    [BUSY],
  );
  if (rows.length === 0) throw new Error(`no organisation receives ≥ ${BUSY} referrals: is the data there?`);
  return Array.from({ length: CONCURRENCY }, (_, i) =>
    rows.length <= CONCURRENCY
      ? rows[i % rows.length]!
      : rows[Math.round((i * (rows.length - 1)) / (CONCURRENCY - 1))]!,
  );
}

/** Signs bearer tokens with the hub's own key, as `npm run token` does. */
async function signTokens(users: { id: string; email: string }[]): Promise<string[]> {
  const config = loadConfig();
  const database = openDatabase({ url: db.url, poolMax: 2, logger: createLogger('warn') });
  try {
    const tokens: string[] = [];
    for (const user of users) {
      tokens.push(
        await signUserToken(database.prisma, user, {
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          ttlSeconds: 3600,
        }),
      );
    }
    return tokens;
  } finally {
    await database.close();
  }
}

async function caseWorkers(
  client: pg.Client,
  orgs: { id: string; name: string; incoming: number; n: number }[],
  k: number,
): Promise<Worker[]> {
  const users = orgs.map((o) => ({ id: '', email: `user${k}.org${o.n}@bench.example` }));
  const { rows } = await client.query<{ id: string; email: string }>(
    'SELECT id, email FROM "User" WHERE email = ANY($1)',
    [users.map((u) => u.email)],
  );
  for (const u of users) {
    u.id = rows.find((r) => r.email === u.email)?.id ?? '';
    if (!u.id) throw new Error(`no user ${u.email}`);
  }
  const tokens = await signTokens(users);
  return orgs.map((o, i) => ({
    organisationId: o.id,
    organisationName: o.name,
    incoming: o.incoming,
    userId: users[i]!.id,
    email: users[i]!.email,
    token: tokens[i]!,
  }));
}

/**
 * IN_PROGRESS referrals of each worker's organisation, distinct across workers: OWNED each, or as
 * many as there are; and one more for the statement count, of the first organisation.
 */
async function ownedReferrals(
  client: pg.Client,
  workers: Worker[],
): Promise<{ owned: OwnedReferral[][]; spare: OwnedReferral }> {
  const orgIds = [...new Set(workers.map((w) => w.organisationId))];
  const perOrg = new Map<string, number>();
  for (const w of workers) perOrg.set(w.organisationId, (perOrg.get(w.organisationId) ?? 0) + 1);
  const { rows } = await client.query<{ id: string; reference: string; version: number; org: string }>(
    `SELECT id, reference, version, org FROM (
       SELECT id, reference, version, "receiverOrganisationId" AS org,
         row_number() OVER (PARTITION BY "receiverOrganisationId" ORDER BY md5(id::text)) AS rn
       FROM "Referral" WHERE status = 'IN_PROGRESS' AND "receiverOrganisationId" = ANY($1::uuid[])
     ) r WHERE rn <= $2`,
    [orgIds, OWNED * Math.max(...perOrg.values()) + 1],
  );
  const pools = new Map<string, OwnedReferral[]>();
  for (const r of rows) {
    const list = pools.get(r.org) ?? [];
    list.push({
      id: r.id,
      globalId: globalId('Referral', r.id),
      reference: r.reference,
      version: r.version,
      status: 'IN_PROGRESS',
    });
    pools.set(r.org, list);
  }
  const spare = pools.get(workers[0]!.organisationId)?.pop();
  if (!spare) throw new Error('no IN_PROGRESS referral to change: is the data there?');
  const owned = workers.map((w) => {
    const pool = pools.get(w.organisationId) ?? [];
    const share = Math.max(1, Math.floor(pool.length / perOrg.get(w.organisationId)!));
    return pool.splice(0, Math.min(OWNED, share));
  });
  if (owned.some((o) => o.length === 0)) throw new Error('a worker has no IN_PROGRESS referral to change');
  return { owned, spare };
}

// ---------------------------------------------------------------------------------------------
// GraphQL requests
// ---------------------------------------------------------------------------------------------

const LAST_EVENT = 'lastEvent { type toStatus at }';

/** The inbox page; `lastEvent` only if the hub's schema has it (it is being added). */
const inboxQuery = (withLastEvent: boolean) => `query Inbox($first: Int!) {
  referrals(box: INCOMING, first: $first) {
    totalCount
    edges { node { id reference status version urgency dueAt person { initials birthYear languages }
      offer { id title { text } } senderOrganisation { name } ${withLastEvent ? LAST_EVENT : ''} } }
  }
}`;

interface InboxNode {
  id: string;
  reference: string;
  status: string;
  version: number;
  person: { initials: string | null } | null;
  offer: { id: string; title: { text: string } } | null;
  senderOrganisation: { name: string };
  lastEvent?: { type: string; toStatus: string | null; at: string } | null;
}
interface InboxPage {
  totalCount: number;
  nodes: InboxNode[];
  /** The answer as it came. */
  text: string;
}

function gqlError(status: number, text: string, errors?: { message: string }[]): Error {
  return new Error(`HTTP ${status}: ${errors?.[0]?.message ?? text.slice(0, 200)}`);
}

/** Reads an inbox page; anything but a clean 200 with a full page is an error. */
async function readInbox(base: URL, body: Buffer, token: string, first: number): Promise<InboxPage> {
  const { status, text } = await postGraphQL(base, body, token);
  const result = JSON.parse(text) as {
    data?: { referrals?: { totalCount: number; edges: { node: InboxNode }[] } };
    errors?: { message: string }[];
  };
  const page = result.data?.referrals;
  if (status !== 200 || result.errors?.length || !page) throw gqlError(status, text, result.errors);
  if (page.edges.length !== Math.min(first, page.totalCount)) {
    throw new Error(
      `a page of ${page.edges.length} referrals for first ${first}, totalCount ${page.totalCount}`,
    );
  }
  return { totalCount: page.totalCount, nodes: page.edges.map((e) => e.node), text };
}

/**
 * Floors under the inbox page (bench/floor-server.ts, no database), loaded as the hub was: node:http
 * answering the hub's bytes, and Apollo Server 5 as the hub runs it (graphql-jit) executing the
 * same document on a schema of the page's shape, every value read from the hub's answer. What
 * answering a page costs when no resolver does any work: the least a hub CPU per page can come to
 * on this stack. Each first answers as the hub did.
 */
async function inboxFloors(answer: string, body: Buffer, token: string) {
  const floors: { label: string; result: LoadResult; cpu: CpuUse }[] = [];
  const hubData = JSON.stringify((JSON.parse(answer) as { data: unknown }).data);
  for (const [mode, label] of [
    ['http', "floor: node:http answering the hub's inbox page from memory"],
    ['apollo-jit', 'floor: Apollo Server 5 as the hub runs it (graphql-jit), the page answered from memory'],
  ] as const) {
    await withFloor(mode, 'inbox', { inbox: answer }, async (server) => {
      const floorBase = new URL(server.url);
      const { text } = await postGraphQL(floorBase, body, token);
      const same =
        mode === 'http'
          ? text === answer
          : JSON.stringify((JSON.parse(text) as { data: unknown }).data) === hubData;
      if (!same) throw new Error(`${label}: answers differently from the hub`);
      // The same client work as the hub's load (a token it ignores; the whole page read and checked).
      const op = () => readInbox(floorBase, body, token, PAGE);
      await load(warmupS, CONCURRENCY, op);
      const measured = await measureCpu(db, server.child.pid ?? null, FLOOR_APP, () =>
        load(durationS, CONCURRENCY, op),
      );
      floors.push({ label, ...measured });
    });
  }
  return floors;
}

const inboxBody = (first: number, withLastEvent: boolean) =>
  Buffer.from(JSON.stringify({ query: inboxQuery(withLastEvent), variables: { first } }));

/**
 * The SDK's inbox page (`ReferralInbox`, a typed operation of `@maillage/client/operations` that
 * partner systems send with `hub.request`): the card, the person, the assignee (for the receiving
 * side), the last event with its actor, and every event's type and status.
 */
const sdkInboxBody = (first: number) =>
  Buffer.from(JSON.stringify({ query: print(ReferralInboxDocument), variables: { box: 'INCOMING', first } }));

const STEP_MUTATION = (
  action: 'hold' | 'resume',
) => `mutation Step($id: ID!, $v: Int!${action === 'hold' ? ', $reason: String!' : ''}) {
  ${action}Referral(input: { id: $id, expectedVersion: $v${action === 'hold' ? ', reason: $reason' : ''} }) {
    __typename
    ... on Mutation${action === 'hold' ? 'Hold' : 'Resume'}ReferralSuccess { data { referral { version status } } }
    ... on Error { code message }
  }
}`;
const HOLD = STEP_MUTATION('hold');
const RESUME = STEP_MUTATION('resume');

/**
 * Holds the referral if it is in progress, resumes it if on hold, with the version last read; an
 * error result is a failure (and the referral's state is read again, so that the next one is not).
 */
async function changeStatus(base: URL, token: string, ref: OwnedReferral): Promise<void> {
  const action = ref.status === 'IN_PROGRESS' ? 'hold' : 'resume';
  const variables = {
    id: ref.globalId,
    v: ref.version,
    ...(action === 'hold' ? { reason: holdReason(ref.version) } : {}),
  };
  const body = Buffer.from(JSON.stringify({ query: action === 'hold' ? HOLD : RESUME, variables }));
  const { status, text } = await postGraphQL(base, body, token);
  const result = JSON.parse(text) as {
    data?: Record<
      string,
      { __typename: string; data?: { referral: { version: number; status: string } }; message?: string }
    >;
    errors?: { message: string }[];
  };
  const payload = result.data?.[`${action}Referral`];
  if (status === 200 && !result.errors?.length && payload?.data) {
    ref.version = payload.data.referral.version;
    ref.status = payload.data.referral.status as OwnedReferral['status'];
    return;
  }
  await resync(base, token, ref).catch(() => undefined);
  if (payload) throw new Error(`${action}Referral: ${payload.__typename}: ${payload.message ?? ''}`);
  throw gqlError(status, text, result.errors);
}

async function resync(base: URL, token: string, ref: OwnedReferral): Promise<void> {
  const body = Buffer.from(
    JSON.stringify({
      query: 'query One($ref: String!) { referral(reference: $ref) { version status } }',
      variables: { ref: ref.reference },
    }),
  );
  const { text } = await postGraphQL(base, body, token);
  const r = (JSON.parse(text) as { data?: { referral?: { version: number; status: string } } }).data
    ?.referral;
  if (r) Object.assign(ref, { version: r.version, status: r.status });
}

// ---------------------------------------------------------------------------------------------
// Checks and plans
// ---------------------------------------------------------------------------------------------

/** Compares a page of the hub with the database: same referrals, newest first, same last events. */
async function checkPage(client: pg.Client, worker: Worker, page: InboxPage, withLastEvent: boolean) {
  const { rows } = await client.query<{
    id: string;
    total: number;
    type: string;
    to_status: string | null;
    at: Date;
  }>(
    `SELECT r.id, count(*) OVER ()::int AS total, e.type, e."toStatus"::text AS to_status, e.at
     FROM "Referral" r
     LEFT JOIN LATERAL (SELECT type, "toStatus", at FROM "ReferralEvent" WHERE "referralId" = r.id
                        ORDER BY at DESC, id DESC LIMIT 1) e ON true
     WHERE r."receiverOrganisationId" = $1 AND r."sentAt" IS NOT NULL  -- drafts stay with their sender
     ORDER BY r."createdAt" DESC, r.id DESC LIMIT $2`,
    [worker.organisationId, page.nodes.length],
  );
  const problems: string[] = [];
  const total = rows[0]?.total ?? 0;
  if (page.totalCount !== total) problems.push(`totalCount ${page.totalCount}, database ${total}`);
  const ids = page.nodes.map((n) => databaseId(n.id));
  if (ids.join() !== rows.map((r) => r.id).join()) problems.push('not the newest referrals in order');
  if (withLastEvent) {
    const wrong = page.nodes.filter((n, i) => {
      const row = rows[i];
      return (
        !row ||
        n.lastEvent?.type !== row.type ||
        (n.lastEvent?.toStatus ?? null) !== row.to_status ||
        new Date(n.lastEvent.at).getTime() !== row.at.getTime()
      );
    });
    if (wrong.length > 0) problems.push(`lastEvent differs from the database for ${wrong.length} referrals`);
  }
  const withPerson = page.nodes.filter((n) => n.person !== null).length;
  return { problems, withPerson };
}

interface Explained {
  sql: string;
  executionMs: number;
  planningMs: number;
  plan: string[];
}

/** EXPLAIN (ANALYZE, BUFFERS) of the SELECTs a request sent, with their parameters. */
async function explainAll(client: pg.Client, statements: Statement[]): Promise<(Explained | string)[]> {
  const results: (Explained | string)[] = [];
  for (const s of statements) {
    if (!/^\s*select/i.test(s.sql)) continue;
    try {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`,
        s.params,
      );
      const plan = rows.map((r) => r['QUERY PLAN']);
      const ms = (label: string) =>
        Number(new RegExp(`${label} Time: ([\\d.]+) ms`).exec(plan.join('\n'))?.[1] ?? NaN);
      results.push({ sql: s.sql, executionMs: ms('Execution'), planningMs: ms('Planning'), plan });
    } catch (err) {
      results.push(`${oneLine(s.sql, 100)}: EXPLAIN failed (${(err as Error).message})`);
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// The raw SQL baseline: the database work of a page and of a step, without the hub. Written here
// by hand, as directly as SQL allows, and sent through a pg.Pool of CONCURRENCY as prepared
// statements. Beside the hub's figures it says what the hub costs on top of the database, and
// whether the goals can be met on this machine at all.
// ---------------------------------------------------------------------------------------------

/** The caller's account and live memberships: what an authenticated request reads first. */
const RAW_VIEWER = {
  name: 'bench-raw-viewer',
  text: `SELECT u.id, u."disabledAt",
    coalesce((SELECT json_agg(json_build_object('organisationId', m."organisationId", 'roles', m.roles))
              FROM "Membership" m WHERE m."userId" = u.id AND m."disabledAt" IS NULL), '[]') AS memberships
  FROM "User" u WHERE u.id = $1::uuid`,
};

/**
 * The inbox page in ONE statement: the newest sent referrals of $1 (the receiving organisation),
 * their count, person (shown to the receiver while a consent stands and the person is not
 * anonymised), offer (title along the hub's fallback chain for a caller without Accept-Language),
 * sender and last event, and one access-log row per person shown, read by $2 (the case worker),
 * ids from $3 (UUID v7, as the hub). One row more than the page, as the hub reads for
 * `hasNextPage`. The hub sends the page and the log as two statements, this as one (a round trip
 * fewer). The page size is written into the text: as a parameter, the generic plan hashed the
 * consent subquery and read every consent (docs/NOTES.md).
 */
const RAW_INBOX = {
  name: 'bench-raw-inbox',
  text: `WITH page AS (
  SELECT r.id, r.reference, r.status, r.version, r.urgency, r."dueAt", r."offerId", r."senderOrganisationId",
    r."createdAt",
    coalesce((SELECT bool_or(c."withdrawnAt" IS NULL) FROM "Consent" c WHERE c."referralId" = r.id), false)
      AND coalesce((SELECT rp."anonymisedAt" IS NULL FROM "ReferralPerson" rp WHERE rp."referralId" = r.id), false)
      AS shown
  FROM "Referral" r
  WHERE r."receiverOrganisationId" = $1::uuid AND r."sentAt" IS NOT NULL
  ORDER BY r."createdAt" DESC, r.id DESC LIMIT ${PAGE + 1}
), logged AS (
  INSERT INTO "PersonDataAccess" (id, "referralId", "organisationId", "userId")
  SELECT ($3::uuid[])[row_number() OVER ()], p.id, $1::uuid, $2::uuid
  FROM (SELECT * FROM page ORDER BY "createdAt" DESC, id DESC LIMIT ${PAGE}) p WHERE p.shown
)
SELECT (SELECT count(*)::int FROM "Referral" WHERE "receiverOrganisationId" = $1::uuid AND "sentAt" IS NOT NULL) AS "totalCount",
  coalesce(json_agg(json_build_object(
    'id', p.id, 'reference', p.reference, 'status', p.status, 'version', p.version, 'urgency', p.urgency,
    'dueAt', p."dueAt",
    'person', CASE WHEN p.shown THEN (SELECT json_build_object('initials', rp.initials, 'birthYear', rp."birthYear",
                'languages', rp.languages) FROM "ReferralPerson" rp WHERE rp."referralId" = p.id) END,
    'offer', (SELECT json_build_object('id', o.id, 'title', coalesce(nullif(btrim(o.title->>'fr'), ''),
                nullif(btrim(o.title->>'de'), ''), nullif(btrim(o.title->>'en'), ''), nullif(btrim(o.title->>'lb'), ''), ''))
              FROM "Offer" o WHERE o.id = p."offerId"),
    'senderOrganisation', (SELECT g.name FROM "Organisation" g WHERE g.id = p."senderOrganisationId"),
    'lastEvent', (SELECT json_build_object('type', e.type, 'toStatus', e."toStatus", 'at', e.at)
                  FROM "ReferralEvent" e WHERE e."referralId" = p.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
  ) ORDER BY p."createdAt" DESC, p.id DESC), '[]') AS nodes
FROM page p`,
};

/**
 * A hold or a resume in ONE statement, as the issue keeps it: lock the referral if $2 (the case
 * worker's organisation) receives it, and only at version $3 and status $4, write its history row
 * (whose outbox row the trigger adds, as for the hub) and the referral. Null row: not taken.
 */
const RAW_STEP = {
  name: 'bench-raw-step',
  text: `WITH locked AS (
  SELECT id, status, version FROM "Referral"
  WHERE id = $1::uuid AND "receiverOrganisationId" = $2::uuid AND "sentAt" IS NOT NULL
  FOR UPDATE
), ok AS (
  SELECT id, status FROM locked WHERE version = $3 AND status = $4::"ReferralStatus"
), event AS (
  INSERT INTO "ReferralEvent" (id, "referralId", type, "fromStatus", "toStatus", "actorUserId", "actorOrganisationId", note, at)
  SELECT $5::uuid, ok.id, 'STATUS_CHANGED', ok.status, $6::"ReferralStatus", $7::uuid, $2::uuid, $8, now() FROM ok
)
UPDATE "Referral" r SET status = $6::"ReferralStatus",
  "statusReason" = CASE WHEN $6::"ReferralStatus" = 'ON_HOLD' THEN $8 ELSE r."statusReason" END,
  version = r.version + 1, "updatedAt" = now()
FROM ok WHERE r.id = ok.id
RETURNING r.version, r.status::text AS status`,
};

interface RawNode {
  id: string;
  reference: string;
  status: string;
  version: number;
  person: { initials: string | null } | null;
  offer: { id: string; title: string } | null;
  senderOrganisation: string;
  lastEvent: { type: string; toStatus: string | null; at: string } | null;
}

/** The caller's account, checked as the hub checks it: enabled, a live member of its organisation. */
async function rawViewer(pool: pg.Pool, worker: Worker): Promise<void> {
  const { rows } = await pool.query<{ disabledAt: Date | null; memberships: { organisationId: string }[] }>({
    ...RAW_VIEWER,
    values: [worker.userId],
  });
  const account = rows[0];
  if (
    !account ||
    account.disabledAt ||
    !account.memberships.some((m) => m.organisationId === worker.organisationId)
  ) {
    throw new Error(`raw SQL: ${worker.email} may not read this inbox`);
  }
}

/** One inbox page through the raw statements: the viewer's row, then the page and its log rows. */
async function rawInbox(
  pool: pg.Pool,
  worker: Worker,
  ids = Array.from({ length: PAGE }, () => uuidv7()),
): Promise<{ totalCount: number; nodes: RawNode[] }> {
  await rawViewer(pool, worker);
  const { rows } = await pool.query<{ totalCount: number; nodes: RawNode[] }>({
    ...RAW_INBOX,
    values: [worker.organisationId, worker.userId, ids],
  });
  const page = rows[0]!;
  const nodes = page.nodes.slice(0, PAGE); // the row after the page only says there is a next one
  if (nodes.length !== Math.min(PAGE, page.totalCount)) {
    throw new Error(`raw SQL: a page of ${nodes.length} for totalCount ${page.totalCount}`);
  }
  return { totalCount: page.totalCount, nodes };
}

/** One hold or resume through the raw statements, with the version last read, as `changeStatus`. */
async function rawStep(pool: pg.Pool, worker: Worker, ref: OwnedReferral): Promise<void> {
  await rawViewer(pool, worker);
  const hold = ref.status === 'IN_PROGRESS';
  const reason = hold ? holdReason(ref.version) : null;
  const { rows } = await pool.query<{ version: number; status: OwnedReferral['status'] }>({
    ...RAW_STEP,
    values: [
      ref.id,
      worker.organisationId,
      ref.version,
      ref.status,
      uuidv7(),
      hold ? 'ON_HOLD' : 'IN_PROGRESS',
      worker.userId,
      reason,
    ],
  });
  const row = rows[0];
  if (row) {
    Object.assign(ref, row);
    return;
  }
  const { rows: now } = await pool.query<{ version: number; status: OwnedReferral['status'] }>(
    'SELECT version, status::text AS status FROM "Referral" WHERE id = $1',
    [ref.id],
  );
  if (now[0]) Object.assign(ref, now[0]);
  throw new Error(`raw SQL: ${hold ? 'hold' : 'resume'} not taken (version or status changed)`);
}

/**
 * One raw hold and resume of `ref`, each read back: the status and version it wrote, its history
 * row and that row's outbox row. A line to print: a check, or a warning saying what is missing.
 */
async function checkRawStep(pool: pg.Pool, worker: Worker, ref: OwnedReferral): Promise<string> {
  const problems: string[] = [];
  for (let i = 0; i < 2; i++) {
    const before = { ...ref };
    await rawStep(pool, worker, ref);
    const { rows } = await pool.query<{ outboxed: boolean; written: string }>(
      `SELECT json_build_array(r.status, r.version, r."statusReason", e."fromStatus", e."toStatus", e.note,
                e."actorUserId", e."actorOrganisationId")::text AS written,
         EXISTS (SELECT 1 FROM "OutboxEvent" o WHERE o."referralId" = r.id AND o.type = 'REFERRAL_EVENT'
                 AND o.payload->'event'->>'id' = e.id::text) AS outboxed
       FROM "Referral" r, LATERAL (SELECT * FROM "ReferralEvent" WHERE "referralId" = r.id
                                   ORDER BY at DESC, id DESC LIMIT 1) e
       WHERE r.id = $1`,
      [ref.id],
    );
    const hold = before.status === 'IN_PROGRESS';
    // A resume keeps the hold's reason on the referral, as the hub does (statusReason on hold only).
    const to = hold ? 'ON_HOLD' : 'IN_PROGRESS';
    const want = JSON.stringify([
      to,
      before.version + 1,
      holdReason(hold ? before.version : before.version - 1),
      before.status,
      to,
      hold ? holdReason(before.version) : null,
      worker.userId,
      worker.organisationId,
    ]);
    const row = rows[0];
    if (!row || JSON.stringify(JSON.parse(row.written)) !== want) {
      problems.push(`${before.status}: wrote ${row?.written ?? 'nothing'}, expected ${want}`);
    } else if (!row.outboxed) problems.push(`no outbox row for the event to ${to}`);
  }
  return problems.length === 0
    ? `  check: a raw SQL hold and resume each wrote the status, the next version, the reason, an event (from, to, note, actor) and its outbox row`
    : `  WARNING: raw SQL status changes: ${problems.join('; ')}`;
}

/** The hub's page and the raw statement's, field by field: what differs (empty: the same page). */
function comparePages(
  hub: InboxPage,
  raw: { totalCount: number; nodes: RawNode[] },
  withLastEvent: boolean,
): string[] {
  const problems: string[] = [];
  if (hub.totalCount !== raw.totalCount)
    problems.push(`totalCount ${hub.totalCount} against ${raw.totalCount}`);
  const event = (e: { type: string; toStatus: string | null; at: string } | null | undefined) =>
    e && withLastEvent ? [e.type, e.toStatus, new Date(e.at).getTime()] : null;
  const fromHub = hub.nodes.map((n) =>
    JSON.stringify([
      databaseId(n.id),
      n.reference,
      n.status,
      n.version,
      n.person?.initials ?? null,
      n.offer ? [databaseId(n.offer.id), n.offer.title.text] : null,
      n.senderOrganisation.name,
      event(n.lastEvent),
    ]),
  );
  const fromRaw = raw.nodes.map((n) =>
    JSON.stringify([
      n.id,
      n.reference,
      n.status,
      n.version,
      n.person?.initials ?? null,
      n.offer ? [n.offer.id, n.offer.title] : null,
      n.senderOrganisation,
      event(n.lastEvent),
    ]),
  );
  const differ = fromHub.filter((h, i) => h !== fromRaw[i]).length;
  if (differ > 0 || fromHub.length !== fromRaw.length) {
    problems.push(`${differ} of ${fromHub.length} referrals differ (${fromRaw.length} from raw SQL)`);
  }
  const persons = (n: { person: unknown }[]) => n.filter((x) => x.person !== null).length;
  if (persons(hub.nodes) !== persons(raw.nodes)) {
    problems.push(`person shown on ${persons(hub.nodes)} against ${persons(raw.nodes)}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------------

async function prepareDatabase(): Promise<{ generatedS: number | null; stats: DataStats }> {
  if (reuse && (await db.exists())) {
    db.migrate();
    const stats = await db.withClient(dataStats);
    if (stats.referrals > 0) {
      // Every inbox read logs person accesses: start each run from the same state.
      await db.withClient((c) => c.query('TRUNCATE "PersonDataAccess"'));
      return { generatedS: null, stats };
    }
  }
  await db.recreate();
  db.migrate();
  const t0 = performance.now();
  await db.withClient(generate);
  const generatedS = (performance.now() - t0) / 1000;
  return { generatedS, stats: await db.withClient(dataStats) };
}

/** Whether the hub's schema has Referral.lastEvent (being added while this was written). */
async function hasLastEvent(base: URL, token: string): Promise<boolean> {
  try {
    await readInbox(base, inboxBody(1, true), token, 1);
    return true;
  } catch (err) {
    if (/lastEvent/.test((err as Error).message)) return false;
    throw err;
  }
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

let failed = false;
let closeRawPool = (): Promise<void> => Promise.resolve();
try {
  const { generatedS, stats } = await prepareDatabase();
  const setup = await db.withClient(async (client) => {
    const version = (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`))
      .rows[0]!.v;
    const orgs = await pickOrganisations(client);
    const readers = await caseWorkers(client, orgs, 1);
    const changers = await caseWorkers(client, orgs, 2);
    const [counted] = await caseWorkers(client, orgs.slice(0, 1), 3);
    const { owned, spare } = await ownedReferrals(client, changers);
    return { version, orgs, readers, changers, counted: counted!, owned, spare };
  });
  const { readers, changers, owned, spare } = setup;

  out(`bench/referrals (PostgreSQL ${setup.version}, database ${db.name}${smoke ? ', smoke run' : ''})`);
  out(
    `  data: ${stats.organisations} organisations, ${stats.users} users, ${stats.offers} offers accepting referrals, ${stats.referrals} referrals (${stats.persons} persons, ${stats.consents} consents, ${stats.themeLinks} need themes), ${stats.events} events`,
  );
  out(
    `  statuses: ${Object.entries(stats.statuses)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}`,
  );
  out(
    generatedS === null
      ? '  data generation: reused the existing database (--reuse; person access log emptied)'
      : `  data generation: ${generatedS.toFixed(1)} s (set-based SQL, VACUUM ANALYZE)`,
  );
  const incoming = spread(readers.map((w) => w.incoming));
  out(
    `  inbox clients: ${new Set(readers.map((w) => w.organisationId)).size} receiving organisations with ≥ ${BUSY} incoming referrals (min ${incoming.min}, median ${incoming.median}, max ${incoming.max}); status clients: ${owned.map((o) => o.length).reduce((a, b) => a + b, 0)} IN_PROGRESS referrals, ${owned[0]!.length}–${Math.max(...owned.map((o) => o.length))} per client`,
  );

  // 1. Statements per request and plans, through the counting proxy.
  const counting = await withCountingHub(db.url, async (base, counter) => {
    const token = setup.counted.token;
    const withLastEvent = await hasLastEvent(base, token);
    const perPage = new Map<number, number[]>();
    let example: Statement[] = [];
    let largest: Statement[] = [];
    for (const first of [10, PAGE]) {
      const body = inboxBody(first, withLastEvent);
      for (let i = 0; i < 2; i++) await readInbox(base, body, token, first);
      const counts: number[] = [];
      for (let i = 0; i < 5; i++) {
        counter.record();
        await readInbox(base, body, token, first);
        const statements = counter.take();
        counts.push(statements.length);
        if (first === PAGE) example = statements;
        if (statements.length > largest.length) largest = statements;
      }
      perPage.set(first, counts);
    }
    const stepCounts: Record<string, number> = {};
    let stepExample: Statement[] = [];
    for (let i = 0; i < 4; i++) {
      const action = spare.status === 'IN_PROGRESS' ? 'hold' : 'resume';
      counter.record();
      await changeStatus(base, token, spare);
      const statements = counter.take();
      if (i >= 2) stepCounts[action] = statements.length; // the first two warm the hub up
      if (i === 2) stepExample = statements;
    }
    return { withLastEvent, perPage, example, largest, stepCounts, stepExample };
  });
  const { withLastEvent } = counting;
  if (!withLastEvent) {
    out('  NOTE: Referral.lastEvent is not in the hub schema yet: the inbox is measured without it');
  }

  // 2. The loads, on a hub of their own; then the same loads through the raw statements.
  const pool = rawSqlPool(db.url, CONCURRENCY);
  // pg-pool's end() resolves once it has asked its connections to close, not once they have: the
  // smoke run's DROP DATABASE … WITH (FORCE) may still terminate one, an error on an idle client.
  pool.on('error', (err) => {
    if (!pool.ending) console.error(`raw SQL pool: ${err.message}`);
  });
  closeRawPool = () => pool.end();
  const hub = await startHub(db.url, {
    METRICS_TOKEN,
    WEB_CONCURRENCY: String(workers),
    ...(profileDir ? { NODE_OPTIONS: inspectOptions() } : {}),
  });
  const inspector = profileDir ? await inspectHub(hub) : null;
  /** The load, profiled under --profile. */
  const measured = async <T>(label: string, file: string, work: () => Promise<T>): Promise<T> => {
    if (!inspector) return work();
    const { result, profile, heap } = await profiled(inspector, work);
    profileLines(label, cpuBreakdown(profile), profileDir!, `${file}.cpuprofile`, profile);
    profileLines(`${label}: allocations`, heapBreakdown(heap), profileDir!, `${file}.heapprofile`, heap);
    return result;
  };
  const base = new URL(hub.url);
  let inbox: LoadResult;
  let sdkInbox: LoadResult;
  let sdkInboxCpu: CpuUse;
  let steps: LoadResult;
  let inboxAtRate: LoadResult;
  let stepsAtRate: LoadResult;
  /** The hub's garbage collection and event-loop delay during each open loop. */
  let inboxRuntime = '';
  let stepRuntime = '';
  let inboxCpu: CpuUse;
  let stepCpu: CpuUse;
  let hubKiB = 0;
  /** The hub's answer to the busiest inbox, for the floors to answer from memory. */
  let inboxAnswer = '';
  try {
    const sample = await readInbox(base, inboxBody(PAGE, withLastEvent), readers[0]!.token, PAGE);
    inboxAnswer = sample.text;
    const check = await db.withClient((c) => checkPage(c, readers[0]!, sample, withLastEvent));
    out(
      check.problems.length === 0
        ? `  check: the busiest inbox (${readers[0]!.organisationName}) answers its ${sample.nodes.length} newest referrals in order, totalCount ${sample.totalCount}${withLastEvent ? ', lastEvent as in the database' : ''}; person visible on ${check.withPerson}`
        : `  WARNING: the busiest inbox differs from the database: ${check.problems.join('; ')}`,
    );
    // The raw page must be the hub's, and log the persons the hub shows (the log rows by their ids).
    const logIds = Array.from({ length: PAGE }, () => uuidv7());
    const rawProblems = comparePages(sample, await rawInbox(pool, readers[0]!, logIds), withLastEvent);
    const { rows: logged } = await pool.query<{ id: string }>(
      'SELECT "referralId" AS id FROM "PersonDataAccess" WHERE id = ANY($1::uuid[]) ORDER BY 1',
      [logIds],
    );
    const shownByHub = sample.nodes.filter((n) => n.person !== null).map((n) => databaseId(n.id));
    if (logged.map((r) => r.id).join() !== shownByHub.sort().join()) {
      rawProblems.push(
        `access-log rows for ${logged.length} referrals, the hub shows ${shownByHub.length} persons`,
      );
    }
    failed ||= rawProblems.length > 0;
    out(
      rawProblems.length === 0
        ? `  check: raw SQL gives the busiest inbox the same page (${sample.nodes.length} referrals, their person, offer, sender and last event; totalCount) and logs the ${shownByHub.length} persons the hub shows`
        : `  WARNING: raw SQL and the hub give the busiest inbox different pages: ${rawProblems.join('; ')}`,
    );
    const stepCheck = await checkRawStep(pool, setup.counted, spare);
    failed ||= stepCheck.startsWith('  WARNING');
    out(stepCheck);

    const bodies = [inboxBody(PAGE, withLastEvent)];
    const inboxOp = (_i: number, w: number) => readInbox(base, bodies[0]!, readers[w]!.token, PAGE);
    const next = changers.map(() => 0);
    const stepOp = (_i: number, w: number) => {
      // hold r1, resume r1, hold r2, resume r2, …: strictly alternating per client.
      const refs = owned[w]!;
      const ref = refs[Math.floor(next[w]!++ / 2) % refs.length]!;
      return changeStatus(base, changers[w]!.token, ref);
    };
    // The hub's first load: it also compiles for its first seconds (COLD_HUB_WARMUP_S).
    await load(warmupS + (smoke ? 0 : COLD_HUB_WARMUP_S), CONCURRENCY, inboxOp);
    ({ result: inbox, cpu: inboxCpu } = await measured('hub CPU, inbox', 'inbox', () =>
      measureCpu(db, hub.child.pid ?? null, 'maillage', () => load(durationS, CONCURRENCY, inboxOp)),
    ));
    const sdkBody = sdkInboxBody(PAGE);
    const sdkInboxOp = (_i: number, w: number) => readInbox(base, sdkBody, readers[w]!.token, PAGE);
    await load(warmupS, CONCURRENCY, sdkInboxOp);
    ({ result: sdkInbox, cpu: sdkInboxCpu } = await measured('hub CPU, SDK inbox', 'sdk-inbox', () =>
      measureCpu(db, hub.child.pid ?? null, 'maillage', () => load(durationS, CONCURRENCY, sdkInboxOp)),
    ));
    await load(warmupS, CONCURRENCY, stepOp);
    ({ result: steps, cpu: stepCpu } = await measured('hub CPU, status changes', 'steps', () =>
      measureCpu(db, hub.child.pid ?? null, 'maillage', () => load(durationS, CONCURRENCY, stepOp)),
    ));
    // The same requests at a fixed rate below saturation: a request's own time, not the queue's.
    const runtimeDuring = async (work: () => Promise<LoadResult>): Promise<[LoadResult, string]> => {
      const before = await readRuntime(hub.url, METRICS_TOKEN);
      const result = await work();
      return [result, runtimeDelta(before, await readRuntime(hub.url, METRICS_TOKEN))];
    };
    [inboxAtRate, inboxRuntime] = await runtimeDuring(() =>
      loadAtRate(durationS, inboxRate, CONCURRENCY, inboxOp),
    );
    [stepsAtRate, stepRuntime] = await runtimeDuring(() =>
      loadAtRate(durationS, stepRate, CONCURRENCY, stepOp),
    );
    hubKiB = treeResidentKiB(hub.child.pid ?? 0);
  } finally {
    await inspector?.close();
    await stopHub(hub);
  }
  const floors = await inboxFloors(inboxAnswer, inboxBody(PAGE, withLastEvent), readers[0]!.token);
  const rawInboxOp = (_i: number, w: number) => rawInbox(pool, readers[w]!);
  await load(warmupS, CONCURRENCY, rawInboxOp);
  const { result: rawInboxes, cpu: rawInboxCpu } = await measureCpu(db, null, RAW_APP, () =>
    load(durationS, CONCURRENCY, rawInboxOp),
  );
  // The same referrals as the hub's load, from the versions and statuses it left them in.
  const nextRaw = changers.map(() => 0);
  const rawStepOp = (_i: number, w: number) => {
    const refs = owned[w]!;
    return rawStep(pool, changers[w]!, refs[Math.floor(nextRaw[w]!++ / 2) % refs.length]!);
  };
  await load(warmupS, CONCURRENCY, rawStepOp);
  const { result: rawSteps, cpu: rawStepCpu } = await measureCpu(db, null, RAW_APP, () =>
    load(durationS, CONCURRENCY, rawStepOp),
  );
  const rawInboxAtRate = await loadAtRate(durationS, inboxRate, CONCURRENCY, rawInboxOp);
  const rawStepsAtRate = await loadAtRate(durationS, stepRate, CONCURRENCY, rawStepOp);

  const P = [50, 95, 99, 100];
  out(
    `  load: ${CONCURRENCY} concurrent connections, ${durationS} s each after ${warmupS} s of warm-up; hub: NODE_ENV=production, LOG_LEVEL=warn, its default pool (DATABASE_POOL_MAX ${process.env.DATABASE_POOL_MAX ?? 10}${workers > 1 ? ' per worker' : ''}), WEB_CONCURRENCY ${workers}${workers > 1 ? ` (a primary and ${workers} workers)` : ''}; resident memory after the loads ${(hubKiB / 1024).toFixed(0)} MiB`,
  );
  out(figures(`inbox page of ${PAGE}`, inbox, P));
  out(figures(`SDK inbox page of ${PAGE} (ReferralInbox)`, sdkInbox, P));
  out(figures('status change (hold / resume)', steps, P));
  out(
    `  CPU per request: inbox ${(inboxCpu.server ?? 0).toFixed(1)} ms hub + ${inboxCpu.database.toFixed(1)} ms PostgreSQL; SDK inbox ${(sdkInboxCpu.server ?? 0).toFixed(1)} ms hub + ${sdkInboxCpu.database.toFixed(1)} ms PostgreSQL; status change ${(stepCpu.server ?? 0).toFixed(1)} ms hub + ${stepCpu.database.toFixed(1)} ms PostgreSQL (+ ${inboxCpu.client.toFixed(1)} / ${stepCpu.client.toFixed(1)} ms load generator)`,
  );
  for (const floor of floors) {
    out(figures(floor.label, floor.result, P));
    out(`    CPU per request: ${(floor.cpu.server ?? 0).toFixed(2)} ms server (no database)`);
  }
  out(
    `  raw SQL baseline (pg.Pool of ${CONCURRENCY}, prepared statements, no hub, after the hub's loads): per page the caller's account, then ONE statement for the page with totalCount, person, offer, sender, last event and its access-log rows; per status change the caller's account, then ONE statement that locks, checks the version, writes the event (the trigger adds its outbox row) and the referral`,
  );
  out(figures(`raw SQL inbox page of ${PAGE}`, rawInboxes, P));
  out(figures('raw SQL status change', rawSteps, P));
  out(
    `  CPU per request, raw SQL: inbox ${rawInboxCpu.database.toFixed(1)} ms PostgreSQL (+ ${rawInboxCpu.client.toFixed(1)} ms pg client); status change ${rawStepCpu.database.toFixed(1)} ms PostgreSQL (+ ${rawStepCpu.client.toFixed(1)} ms pg client)`,
  );
  const ratio = (hubSide: LoadResult, rawSide: LoadResult) =>
    `${((100 * throughput(hubSide)) / throughput(rawSide)).toFixed(0)} %`;
  out(
    `  hub / raw SQL throughput: inbox ${ratio(inbox, rawInboxes)}, status change ${ratio(steps, rawSteps)}`,
  );
  out(
    `  inbox p99: ${ms(percentile(inbox.latencies, 99))}, raw SQL ${ms(percentile(rawInboxes.latencies, 99))}   (goal < 50 ms)`,
  );
  out(
    `  status change p99: ${ms(percentile(steps.latencies, 99))}, raw SQL ${ms(percentile(rawSteps.latencies, 99))}   (goal < 30 ms)`,
  );
  // In a closed loop latency is concurrency / throughput: a p99 goal is a CPU budget per request.
  const cores = availableParallelism();
  const budget = (goalMs: number, cpu: CpuUse) =>
    `> ${((1000 * CONCURRENCY) / goalMs).toFixed(0)} req/s, i.e. < ${((goalMs * cores) / CONCURRENCY).toFixed(1)} ms of CPU per request on ${cores} cores (now ${((cpu.server ?? 0) + cpu.database).toFixed(1)} ms hub + PostgreSQL)`;
  out(
    `  budget at ${CONCURRENCY} clients: inbox ${budget(50, inboxCpu)}; status change ${budget(30, stepCpu)}`,
  );

  out(
    `  open loop (requests due at a fixed rate, at most ${CONCURRENCY} in flight, latency from the moment each was due): the time of one request below saturation`,
  );
  out(figures(`inbox page of ${PAGE} at ${inboxRate}/s`, inboxAtRate, P));
  out(`    the hub meanwhile: ${inboxRuntime}`);
  out(figures(`raw SQL inbox page of ${PAGE} at ${inboxRate}/s`, rawInboxAtRate, P));
  out(figures(`status change at ${stepRate}/s`, stepsAtRate, P));
  out(`    the hub meanwhile: ${stepRuntime}`);
  out(figures(`raw SQL status change at ${stepRate}/s`, rawStepsAtRate, P));

  const s10 = spread(counting.perPage.get(10)!);
  const s50 = spread(counting.perPage.get(PAGE)!);
  const constant = s10.median === s50.median && s10.min === s10.max && s50.min === s50.max;
  out(
    `  SQL statements per inbox page: first 10: ${s10.median}, first ${PAGE}: ${s50.median}   (goal: constant; ${constant ? 'constant' : 'NOT constant'}; min–max ${s10.min}–${s10.max} and ${s50.min}–${s50.max} over 5 sequential requests each; raw SQL: 2)`,
  );
  if (!constant) {
    // The hub's background work (the outbox tail's poll, the webhook worker) shares the counted
    // pool: say what the largest sample held, so that a count that varies can be told apart.
    out(`  the largest sample (${counting.largest.length} statements):`);
    for (const st of counting.largest) out(`    ${st.sql.replace(/\s+/g, ' ').slice(0, 150)}`);
  }
  out(
    `  SQL statements per status change: hold ${counting.stepCounts.hold ?? '?'}, resume ${counting.stepCounts.resume ?? '?'} (raw SQL: 2 each)`,
  );
  out(`  one inbox page of ${PAGE} sent:`);
  const distinct = new Map<string, number>();
  for (const { sql } of counting.example) distinct.set(sql, (distinct.get(sql) ?? 0) + 1);
  for (const [sql, n] of distinct) out(`    ${n > 1 ? `${n} × ` : ''}${oneLine(sql)}`);
  out('  one holdReferral sent:');
  for (const { sql } of counting.stepExample) out(`    ${oneLine(sql)}`);

  // 3. Where an inbox page's database time goes: every SELECT of it, EXPLAINed with its parameters.
  const explained = await db.withClient((c) => explainAll(c, counting.example));
  out(`  EXPLAIN (ANALYZE, BUFFERS) of the SELECTs of one inbox page of ${PAGE} (the busiest inbox):`);
  for (const e of explained) {
    out(
      typeof e === 'string'
        ? `    ${e}`
        : `    ${ms(e.executionMs)} execution + ${ms(e.planningMs)} planning: ${oneLine(e.sql, 110)}`,
    );
  }
  const slowest = explained
    .filter((e): e is Explained => typeof e !== 'string')
    .sort((a, b) => b.executionMs + b.planningMs - (a.executionMs + a.planningMs))[0];
  if (slowest) {
    out('  the slowest of them:');
    out(`    ${oneLine(slowest.sql, 600)}`);
    for (const line of slowest.plan) out(`    ${line.length > 240 ? `${line.slice(0, 240)}…` : line}`);
  }

  for (const [label, r] of [
    ['inbox', inbox],
    ['SDK inbox', sdkInbox],
    ['status change', steps],
    ['raw SQL inbox', rawInboxes],
    ['raw SQL status change', rawSteps],
    ['inbox at a fixed rate', inboxAtRate],
    ['status change at a fixed rate', stepsAtRate],
    ['raw SQL inbox at a fixed rate', rawInboxAtRate],
    ['raw SQL status change at a fixed rate', rawStepsAtRate],
  ] as const) {
    if (r.errors > 0) {
      failed = true;
      console.error(`${label}: ${r.errors} failed requests, the first: ${r.firstError}`);
    }
  }
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  agent.destroy();
  await closeRawPool();
  if (smoke) await db.drop();
}
process.exit(failed ? 1 : 0);
