/**
 * Sealing the secrets kept in the database (src/shared/secrets.ts) in bulk, in one transaction:
 * at hub start the older clear values (`only: 'clear'`), and for `npm run secrets:rotate` every
 * value not yet sealed with the current key (`only: 'not-current'`), opened with the box's old keys.
 * Rows are locked while they are re-sealed: a change made meanwhile waits, then wins.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { SEALED_PREFIX, secretPlace, type SecretBox } from '../../shared/secrets.ts';

export interface SealCounts {
  webhookSecrets: number;
  signingKeys: number;
  /** Registration codes of organisations invited to an event edition. */
  editionCodes: number;
}

export async function sealSecretsAtRest(
  prisma: PrismaClient,
  box: SecretBox,
  only: 'clear' | 'not-current',
): Promise<SealCounts> {
  const prefix = only === 'clear' ? SEALED_PREFIX : box.currentPrefix;
  return prisma.$transaction(
    async (tx) => {
      const endpoints = await tx.$queryRaw<{ id: string; secret: string }[]>`
        select id::text, secret from "WebhookEndpoint" where not starts_with(secret, ${prefix}) for update`;
      const keys = await tx.$queryRaw<{ kid: string; privateKey: string }[]>`
        select kid, "privateKey" from "SigningKey" where not starts_with("privateKey", ${prefix}) for update`;
      const reseal = (stored: string, place: string) => box.seal(box.open(stored, place), place);
      if (endpoints.length > 0) {
        const ids = endpoints.map((e) => e.id);
        const sealed = endpoints.map((e) => reseal(e.secret, secretPlace.webhookSecret(e.id)));
        await tx.$executeRaw`
          update "WebhookEndpoint" w set secret = u.secret
          from unnest(${ids}::uuid[], ${sealed}::text[]) as u(id, secret) where w.id = u.id`;
      }
      if (keys.length > 0) {
        const kids = keys.map((k) => k.kid);
        const sealed = keys.map((k) => reseal(k.privateKey, secretPlace.signingKey(k.kid)));
        await tx.$executeRaw`
          update "SigningKey" k set "privateKey" = u.key
          from unnest(${kids}::text[], ${sealed}::text[]) as u(kid, key) where k.kid = u.kid`;
      }
      const codes = await tx.$queryRaw<{ editionId: string; organisationId: string; codeSealed: string }[]>`
        select "editionId"::text, "organisationId"::text, "codeSealed" from "EditionInvitation"
        where not starts_with("codeSealed", ${prefix}) for update`;
      for (const c of codes) {
        const sealed = reseal(c.codeSealed, secretPlace.editionCode(c.editionId, c.organisationId));
        await tx.$executeRaw`
          update "EditionInvitation" set "codeSealed" = ${sealed}
          where "editionId" = ${c.editionId}::uuid and "organisationId" = ${c.organisationId}::uuid`;
      }
      return { webhookSecrets: endpoints.length, signingKeys: keys.length, editionCodes: codes.length };
    },
    { timeout: 120_000 },
  );
}
