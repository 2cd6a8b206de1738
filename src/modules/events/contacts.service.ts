/**
 * Meeting people: participants who agreed to be contacted find each other (by organisation, by a
 * theme of their organisation's published offers) and ask to exchange contacts; only when the
 * other accepts do both see the e-mail addresses. Everything goes through the manage token: a
 * participant needs no account. Only a participant who agreed to be contacted may look others up.
 *
 * A contact card shows the organisation (agreeing to be contacted means being findable by it),
 * and the name and function only when the person agreed to show them publicly.
 */
import type { ContactExchange, PrismaClient, Registration } from '../../generated/prisma/client.ts';
import { ForbiddenError, InvalidTransitionError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { AccountServices } from '../accounts/account-services.ts';
import { localize } from '../catalogue/translations.ts';
import { CONTACTABLE } from './events.access.ts';
import { heldRegistration } from './registration.service.ts';
import { typesetFrench } from '../../../clients/typography.ts';

type Guesses = { blocked(): Promise<number | null>; failed(): Promise<void> } | null;

export interface ContactCard {
  id: string;
  name: string | null;
  organisation: string | null;
  function: string | null;
}

export function contactCard(r: Registration): ContactCard {
  return {
    id: r.id,
    name: r.showName ? r.name : null,
    organisation: r.organisationName,
    function: r.showFunction ? r.function : null,
  };
}

/** The token's registration, when it may meet people: registered and agreeing to be contacted. */
async function meeter(prisma: PrismaClient, token: string, guesses: Guesses): Promise<Registration> {
  const me = await heldRegistration(prisma, { token }, guesses);
  if (me.status !== 'REGISTERED' || !me.contactable) {
    throw new ForbiddenError('look up other participants without agreeing to be contacted yourself');
  }
  return me;
}

export interface ContactFilter {
  /** Raw organisation id. */
  organisationId?: string | null;
  /** A theme code: participants whose organisation publishes an offer under it (or below). */
  theme?: string | null;
  first: number;
}

export async function findContacts(
  prisma: PrismaClient,
  token: string,
  filter: ContactFilter,
  guesses: Guesses,
): Promise<ContactCard[]> {
  const me = await meeter(prisma, token, guesses);
  const rows = await prisma.registration.findMany({
    where: {
      AND: [
        CONTACTABLE,
        { editionId: me.editionId, id: { not: me.id } },
        filter.organisationId ? { organisationId: asUuid(filter.organisationId) } : {},
        filter.theme
          ? {
              organisation: {
                offers: { some: { status: 'PUBLISHED', themePath: { has: filter.theme } } },
              },
            }
          : {},
      ],
    },
    orderBy: [{ organisationName: 'asc' }, { name: 'asc' }, { id: 'asc' }],
    take: Math.min(Math.max(filter.first, 1), 200),
  });
  return rows.map(contactCard);
}

export async function requestContactExchange(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  token: string,
  contactId: string,
  message: string | null,
  guesses: Guesses,
): Promise<ContactExchange> {
  const me = await meeter(prisma, token, guesses);
  const other = await prisma.registration.findFirst({
    where: { AND: [CONTACTABLE, { id: asUuid(contactId), editionId: me.editionId }] },
    include: { edition: { select: { title: true, slug: true } } },
  });
  // Someone not contactable, of another edition, or oneself: as if unknown.
  if (!other || other.id === me.id) throw new NotFoundError('participant');
  const existing = await prisma.contactExchange.findFirst({
    where: {
      OR: [
        { fromId: me.id, toId: other.id },
        { fromId: other.id, toId: me.id },
      ],
    },
  });
  if (existing) return existing;
  const exchange = await prisma.contactExchange.create({
    data: { editionId: me.editionId, fromId: me.id, toId: other.id, message: message?.trim() || null },
  });
  const event = localize(other.edition.title, [other.locale])?.text ?? other.edition.slug;
  const said = message?.trim();
  const who = [me.showName ? me.name : null, me.organisationName].filter(Boolean).join(', ');
  // Our words typeset; the person's message quoted exactly as they wrote it.
  const words = {
    fr: typesetFrench({
      subject: `Demande d’échange de contacts : ${event}`,
      intro: `${who || 'Un participant'} souhaite échanger vos coordonnées (${event}).`,
      quotes: ['« ', ' »'],
      outro:
        'Pour accepter ou refuser, ouvrez le lien personnel reçu à votre inscription. Rien n’est partagé sans votre accord.',
    }),
    de: {
      subject: `Anfrage zum Kontaktaustausch: ${event}`,
      intro: `${who || 'Eine teilnehmende Person'} möchte mit Ihnen Kontaktdaten austauschen (${event}).`,
      quotes: ['„', '“'],
      outro:
        'Öffnen Sie zum Annehmen oder Ablehnen Ihren persönlichen Link aus der Anmeldebestätigung. Ohne Ihre Zustimmung wird nichts geteilt.',
    },
    en: {
      subject: `Contact exchange request: ${event}`,
      intro: `${who || 'A participant'} would like to exchange contact details with you (${event}).`,
      quotes: ['“', '”'],
      outro:
        'To accept or decline, open the personal link from your registration. Nothing is shared without your consent.',
    },
  };
  const l = other.locale === 'de' || other.locale === 'en' ? other.locale : 'fr';
  await services.mailer.send({
    to: other.email,
    subject: words[l].subject,
    text: [words[l].intro, said && `${words[l].quotes[0]}${said}${words[l].quotes[1]}`, words[l].outro]
      .filter(Boolean)
      .join('\n\n'),
    kind: 'event-contact-request',
    related: { contactExchangeId: exchange.id, editionId: me.editionId },
    locale: l,
  });
  return exchange;
}

export async function answerContactExchange(
  prisma: PrismaClient,
  token: string,
  exchangeId: string,
  accept: boolean,
  guesses: Guesses,
): Promise<ContactExchange> {
  const me = await heldRegistration(prisma, { token }, guesses);
  const exchange = await prisma.contactExchange.findFirst({
    where: { id: asUuid(exchangeId), OR: [{ toId: me.id }, { fromId: me.id }] },
  });
  if (!exchange) throw new NotFoundError('contact exchange');
  if (exchange.toId !== me.id) throw new ForbiddenError('answer your own request (the other person does)');
  if (exchange.status !== 'REQUESTED') {
    throw new InvalidTransitionError(
      `This request was already ${exchange.status.toLowerCase()}.`,
      exchange.status,
    );
  }
  // Two answers at once (two tabs): the first one counts, the other finds it answered.
  const done = await prisma.contactExchange.updateMany({
    where: { id: exchange.id, status: 'REQUESTED' },
    data: { status: accept ? 'ACCEPTED' : 'DECLINED', answeredAt: new Date() },
  });
  const updated = await prisma.contactExchange.findUniqueOrThrow({ where: { id: exchange.id } });
  if (done.count === 0) {
    throw new InvalidTransitionError(
      `This request was already ${updated.status.toLowerCase()}.`,
      updated.status,
    );
  }
  return updated;
}

/** A registration's exchanges, both ways, with the other side: its address only once accepted. */
export async function exchangesOf(prisma: PrismaClient, me: Registration) {
  const rows = await prisma.contactExchange.findMany({
    where: { OR: [{ fromId: me.id }, { toId: me.id }] },
    include: { from: true, to: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  return rows.map((x) => {
    const other = x.fromId === me.id ? x.to : x.from;
    const visible = x.status === 'ACCEPTED' && !other.anonymisedAt;
    return {
      id: x.id,
      direction: x.fromId === me.id ? ('SENT' as const) : ('RECEIVED' as const),
      status: x.status,
      message: x.message,
      createdAt: x.createdAt,
      answeredAt: x.answeredAt,
      other: visible
        ? { ...contactCard(other), name: other.name, function: other.function }
        : contactCard(other),
      email: visible ? other.email : null,
    };
  });
}
