/**
 * Demo referrals between the demo organisations, written through the same services as the API
 * (so their history, due dates and references are real). Idempotent: each is created with an
 * idempotency key, and its steps are taken only when it was just created.
 */
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import type { ContactChannel, ReferralUrgency } from '../../src/generated/prisma/enums.ts';
import type { UserViewer } from '../../src/modules/accounts/viewer.ts';
import {
  assignReferral,
  createReferral,
  postReferralMessage,
  stepReferral,
  type StepOptions,
} from '../../src/modules/referrals/referral.service.ts';
import type { ReferralAction } from '../../src/modules/referrals/referral-status.ts';
import { throughPrisma } from '../../src/shared/db/client.ts';

interface DemoReferral {
  key: string;
  /** Sender's case worker (demo e-mail) and receiving offer (demo key). */
  from: string;
  offer: string;
  needs: string;
  themes?: string[];
  urgency?: ReferralUrgency;
  person: {
    name?: string;
    initials?: string;
    birthYear?: number;
    languages: string[];
    contactChannel?: ContactChannel;
    contact?: string;
    interpreterNeeded?: boolean;
  };
  consent: string;
  /** Steps after creation: [who (e-mail), action, options]. */
  steps?: [string, ReferralAction | 'assign' | 'message', Partial<StepOptions> & { text?: string }][];
}

const LEA = 'lea.hoffmann@office-social.example';
const MARC = 'marc.schmit@inter-actions.example';
const SOPHIE = 'sophie.weber@inter-actions.example';
const ANA = 'ana.ferreira@caritas.example';
const JEAN = 'jean.muller@croix-rouge.example';
const YASMINA = 'yasmina.haddad@passerelles.example';
const TOM = 'tom.wagner@kontact28.example';

export const demoReferrals: DemoReferral[] = [
  {
    key: 'demo-1',
    from: LEA,
    offer: 'ia-conseil-surendettement',
    needs:
      'Ménage de 3 personnes, loyer impayé depuis 2 mois, saisie sur salaire annoncée. Souhaite un plan de règlement.',
    themes: ['debt'],
    urgency: 'URGENT',
    person: {
      name: 'Maria Santos',
      birthYear: 1981,
      languages: ['pt', 'fr'],
      contactChannel: 'PHONE',
      contact: '+352 000 000 101',
    },
    consent: 'Orientation vers le service de conseil en surendettement',
    steps: [
      [LEA, 'send', {}],
      [MARC, 'acknowledge', {}],
      [SOPHIE, 'assign', { text: MARC }],
      [MARC, 'accept', {}],
      [MARC, 'message', { text: 'Premier rendez-vous fixé au mardi 9h, merci de prévenir Mme Santos.' }],
      [LEA, 'message', { text: 'C’est fait, elle viendra avec ses relevés.' }],
      [MARC, 'start', {}],
    ],
  },
  {
    key: 'demo-2',
    from: LEA,
    offer: 'ia-obenthalt',
    needs:
      'Homme seul, sortie d’hôpital prévue vendredi, sans logement. Besoin d’un hébergement de transition.',
    themes: ['housing'],
    urgency: 'ASAP',
    person: { initials: 'K. B.', birthYear: 1969, languages: ['lb', 'de'], contactChannel: 'THROUGH_SENDER' },
    consent: 'Orientation vers un hébergement de transition',
    steps: [[LEA, 'send', {}]],
  },
  {
    key: 'demo-3',
    from: ANA,
    offer: 'croix-rouge-aide-sociale',
    needs: 'Famille arrivée d’Ukraine, besoin d’une aide d’urgence pour les frais de rentrée scolaire.',
    person: {
      name: 'Olha Melnyk',
      birthYear: 1988,
      languages: ['uk', 'en'],
      interpreterNeeded: true,
      contactChannel: 'SMS',
      contact: '+352 000 000 311',
    },
    consent: 'Demande d’aide sociale d’urgence',
    steps: [
      [ANA, 'send', {}],
      [JEAN, 'acknowledge', {}],
    ],
  },
  {
    key: 'demo-4',
    from: JEAN,
    offer: 'caritas-epicerie-sociale',
    needs: 'Accès à l’épicerie sociale pour une mère seule avec deux enfants, revenus sous le seuil.',
    person: {
      initials: 'S. R.',
      birthYear: 1992,
      languages: ['fr'],
      contactChannel: 'PHONE',
      contact: '+352 000 000 105',
    },
    consent: 'Orientation vers l’épicerie sociale',
    steps: [
      [JEAN, 'send', {}],
      [ANA, 'accept', {}],
      [ANA, 'start', {}],
      [ANA, 'complete', { outcome: 'Carte d’accès délivrée pour 6 mois.' }],
    ],
  },
  {
    key: 'demo-5',
    from: YASMINA,
    offer: 'osvl-aide-sociale',
    needs:
      'Demande d’aide sociale pour un jeune homme récemment arrivé, hébergé chez un ami à Esch-sur-Alzette.',
    person: {
      name: 'Ahmad Rahimi',
      birthYear: 2001,
      languages: ['ar', 'en'],
      interpreterNeeded: true,
      contactChannel: 'THROUGH_SENDER',
    },
    consent: 'Demande d’aide sociale auprès de l’office social',
    steps: [
      [YASMINA, 'send', {}],
      [
        LEA,
        'decline',
        {
          declineReason: 'OUT_OF_AREA',
          reason: 'Résidence à Esch-sur-Alzette : merci de vous adresser à l’office social d’Esch.',
        },
      ],
    ],
  },
  {
    key: 'demo-6',
    from: MARC,
    offer: 'passerelles-interpretariat',
    needs: 'Interprète arabe–français pour un rendez-vous au tribunal de la jeunesse le 3 décembre.',
    person: {
      initials: 'N. A.',
      languages: ['ar'],
      interpreterNeeded: true,
      contactChannel: 'THROUGH_SENDER',
    },
    consent: 'Organisation d’un interprétariat',
    steps: [
      [MARC, 'send', {}],
      [YASMINA, 'accept', {}],
      [YASMINA, 'message', { text: 'Une interprète est disponible, je vous envoie ses coordonnées.' }],
    ],
  },
  {
    key: 'demo-7',
    from: ANA,
    offer: 'ia-suivi-financier',
    needs: 'Suivi budgétaire de longue durée après un premier plan de règlement.',
    themes: ['debt'],
    person: {
      name: 'Jean-Paul Thill',
      birthYear: 1975,
      languages: ['lb', 'fr'],
      contactChannel: 'EMAIL',
      contact: 'jp.thill@example.lu',
    },
    consent: 'Orientation vers un suivi financier',
    // The offer is full: the sender accepts its waitlist.
    steps: [[ANA, 'send', { acceptWaitlist: true }]],
  },
  {
    key: 'demo-8',
    from: TOM,
    offer: 'jdh-consultation-addictions',
    needs: 'Jeune adulte souhaitant une consultation, accompagné par notre service de rue.',
    person: { initials: 'L. M.', birthYear: 2003, languages: ['lb', 'pt'], contactChannel: 'IN_PERSON' },
    consent: 'Orientation vers une consultation spécialisée',
  },
];

/** Loads the demo referrals; returns how many exist. */
export async function seedReferrals(prisma: PrismaClient): Promise<number> {
  const steps = throughPrisma(prisma);
  const viewers = new Map<string, UserViewer>();
  const viewer = async (email: string): Promise<UserViewer> => {
    const known = viewers.get(email);
    if (known) return known;
    const user = await prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    const v: UserViewer = {
      kind: 'user',
      userId: user.id,
      email,
      roles: new Map(user.memberships.map((m) => [m.organisationId, new Set(m.roles)])),
      hubAdmin: false,
    };
    viewers.set(email, v);
    return v;
  };
  for (const demo of demoReferrals) {
    const sender = await viewer(demo.from);
    const senderOrganisationId = [...sender.roles.keys()][0]!;
    const offer = await prisma.offer.findFirstOrThrow({ where: { hsdsId: `demo:${demo.offer}` } });
    let referral = await createReferral(prisma, sender, {
      senderOrganisationId,
      offerId: offer.id,
      needs: demo.needs,
      needThemes: demo.themes ?? [],
      urgency: demo.urgency ?? 'ROUTINE',
      person: demo.person,
      consent: { purpose: demo.consent },
      idempotencyKey: demo.key,
    });
    if (referral.version !== 1) continue; // loaded before
    for (const [email, action, opts] of demo.steps ?? []) {
      const actor = await viewer(email);
      if (action === 'message') {
        await postReferralMessage(prisma, actor, referral.id, opts.text ?? '');
        continue;
      }
      if (action === 'assign') {
        const assignee = await viewer(opts.text ?? '');
        referral = await assignReferral(prisma, actor, referral.id, assignee.userId, referral.version);
        continue;
      }
      referral = await stepReferral(steps, actor, referral.id, action, {
        ...opts,
        declineReason: opts.declineReason ?? null,
        expectedVersion: referral.version,
      });
    }
  }
  return prisma.referral.count({ where: { idempotencyKey: { in: demoReferrals.map((d) => d.key) } } });
}
