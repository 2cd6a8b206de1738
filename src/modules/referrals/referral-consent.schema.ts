/**
 * The consent record of a referral, for both sides: who recorded it and when, for which purpose
 * and recipients, until when, withdrawn when and by whom. It holds no person data, so the
 * receiving side reads it also once the person's consent is withdrawn; retention removes the
 * purpose (free text) and keeps the rest (retention.ts).
 */
import { builder } from '../../builder.ts';
import type { Consent } from '../../generated/prisma/client.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { ActorRef, organisationById } from './referral-actor.schema.ts';
import { actorOf } from './referral-actor.ts';

/** A consent row with the sending organisation, which records consents. */
type ConsentRecord = Consent & { senderOrganisationId: string };

const ReferralConsent = builder.objectRef<ConsentRecord>('ReferralConsent').implement({
  description:
    "The person's consent to the referral: what the sending side recorded. No person data; visible to both sides.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    recordedAt: t.field({ type: 'DateTime', resolve: (c) => c.recordedAt }),
    recordedBy: t.field({
      type: ActorRef,
      nullable: true,
      description: 'Who recorded it, for the sending organisation.',
      resolve: (c) => actorOf(c.recordedByUserId, c.recordedByApiClientId, c.senderOrganisationId),
    }),
    purpose: t.string({
      nullable: true,
      description: 'What the person agreed to, as recorded; null once retention anonymised the referral.',
      resolve: (c) => c.purpose || null,
    }),
    recipients: t.field({
      type: [Organisation],
      description: 'The organisations the person agreed to share their data with.',
      resolve: async (c, _args, ctx) => {
        const found = await Promise.all(c.recipientOrganisationIds.map((id) => organisationById(ctx, id)));
        return found.filter((o) => o !== null);
      },
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Until when it holds; null: until the referral is closed.',
      resolve: (c) => c.expiresAt,
    }),
    withdrawnAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.withdrawnAt }),
    withdrawnBy: t.field({
      type: ActorRef,
      nullable: true,
      description: 'Who recorded the withdrawal, for the sending organisation.',
      resolve: (c) =>
        c.withdrawnAt ? actorOf(c.withdrawnByUserId, c.withdrawnByApiClientId, c.senderOrganisationId) : null,
    }),
  }),
});

builder.prismaObjectFields('Referral', (t) => ({
  consent: t.field({
    type: ReferralConsent,
    nullable: true,
    description:
      'The consent this referral rests on: the newest one covering the receiving organisation (else the newest recorded). Both sides read it, without the person data it protects.',
    select: {
      senderOrganisationId: true,
      receiverOrganisationId: true,
      consents: { orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }] },
    },
    resolve: (r) => {
      const consent =
        r.consents.find((c) => c.recipientOrganisationIds.includes(r.receiverOrganisationId)) ??
        r.consents[0];
      return consent ? { ...consent, senderOrganisationId: r.senderOrganisationId } : null;
    },
  }),
}));
