/**
 * The Welcome coordinators' console in a real Chromium, on a hub with the demo data: Olena
 * (Caritas) opens her guides and the foyer Saint-Antoine's draft guide, proposes a suggested offer
 * in one click, sees Inter-Actions' answer, reads and records attendance, sees an alert arrive live
 * when a provider pauses an offer, previews the residents' guide (in Arabic, right to left) and
 * publishes it; the ONA's coordinator finds no trace of the draft (not listed, its address says not
 * found). Each page passes axe-core and is screenshotted; nothing goes wrong in the page.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { AnswerGuideProposalDocument, PauseOfferDocument } from '../../clients/generated/graphql.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import {
  expectAccessible,
  openConsole,
  screenshot,
  signInAs,
  startConsoleHub,
  WAIT,
  type ConsoleHub,
} from '../helpers/console.ts';

const OLENA = 'olena.kovalenko@caritas.example';
const CAROLE = 'carole.kremer@ona.example';
const SOPHIE = 'sophie.weber@inter-actions.example';
const FOYER_TITLE = 'Activités pour les jeunes du foyer Saint-Antoine';
const FOYER_SLUG = 'foyer-saint-antoine-jeunes';
const SHUK_TITLE = 'Activités près du SHUK';
/** signInAs waits for the menu, which a phone hides behind its button: sign in, then narrow. */
const PHONE = { width: 390, height: 844 };

let hub: ConsoleHub;
let foyerGuideId: string;
let sophieToken: string;

beforeAll(async () => {
  hub = await startConsoleHub();
  const prisma = hub.t.db.prisma;
  const guide = await prisma.guide.findUniqueOrThrow({ where: { slug: FOYER_SLUG } });
  foyerGuideId = encodeGlobalID('Guide', guide.id);
  const sophie = await prisma.user.findUniqueOrThrow({ where: { email: SOPHIE } });
  sophieToken = await signUserToken(prisma, sophie, {
    issuer: hub.t.config.AUTH_ISSUER,
    audience: hub.t.config.AUTH_AUDIENCE,
    ttlSeconds: 3600,
  });
}, 180_000);

afterAll(async () => {
  await hub?.close();
});

const guideUrl = () => `${hub.base}/welcome/${encodeURIComponent(foyerGuideId)}`;

describe('Welcome coordinators in the console', () => {
  it(
    'a coordinator of another organisation finds no trace of the draft guide',
    async () => {
      const cp = await openConsole(hub);
      const { page, problems } = cp;
      await signInAs(hub, cp, CAROLE);
      await page.setViewportSize(PHONE);
      // On a phone the menu opens from its button.
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.locator('#main-menu').getByRole('link', { name: 'Guides Welcome' }).click();
      await page.getByRole('heading', { level: 1, name: 'Guides Welcome' }).waitFor();
      const ownGuides = page.locator('section', {
        has: page.getByRole('heading', { name: /Guides de l’organisation Office national/ }),
      });
      await ownGuides.getByText('Votre organisation n’a pas encore de guide').waitFor();
      // The SHUK, which the ONA runs: Inter-Actions' guide for it.
      const shelterGuides = page.locator('section', {
        has: page.getByRole('heading', { name: 'Guides des foyers où vous travaillez' }),
      });
      await shelterGuides.getByRole('link', { name: SHUK_TITLE }).waitFor();
      expect(await page.getByText(FOYER_TITLE).count()).toBe(0);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await expectAccessible(page, 'welcome guides (another organisation, phone)');
      await screenshot(page, 'welcome-guides-other-organisation-phone');

      await page.goto(guideUrl());
      await page.getByRole('heading', { level: 1, name: 'Guide introuvable' }).waitFor();
      expect(await page.getByText(FOYER_TITLE).count()).toBe(0);
      await expectAccessible(page, 'welcome guide not found');
      await screenshot(page, 'welcome-guide-not-found');
      await page.goto(`${guideUrl()}/preview`);
      await page.getByRole('heading', { level: 1, name: 'Guide introuvable' }).waitFor();
      expect(await page.getByText(FOYER_TITLE).count()).toBe(0);

      expect(problems).toEqual([]);
      await cp.context.close();
    },
    WAIT * 3,
  );

  it(
    'Olena builds the foyer’s guide: suggestion, proposal and answer, attendance, a live alert, preview, publish',
    async () => {
      const cp = await openConsole(hub);
      const { page, problems } = cp;
      await signInAs(hub, cp, OLENA);
      await page.locator('#main-menu').getByRole('link', { name: 'Guides Welcome' }).click();
      await page.getByRole('heading', { level: 1, name: 'Guides Welcome' }).waitFor();
      const mine = page.locator('li.wl-guide', { hasText: FOYER_TITLE });
      await mine.getByText('Brouillon').waitFor();
      await mine.getByText('Pour : Foyer Saint-Antoine').waitFor();
      await mine.getByText('8 entrée(s)').waitFor();
      await mine.getByText('2 en attente de réponse').waitFor();
      // Caritas is a partner at the SHUK: its guide is listed apart.
      await page
        .locator('section', {
          has: page.getByRole('heading', { name: 'Guides des foyers où vous travaillez' }),
        })
        .getByRole('link', { name: SHUK_TITLE })
        .waitFor();
      await expectAccessible(page, 'welcome guides');
      await screenshot(page, 'welcome-guides');

      // The builder.
      await mine.getByRole('link', { name: FOYER_TITLE }).click();
      await page.getByRole('heading', { level: 1, name: FOYER_TITLE }).waitFor();
      const agreed = page.locator('section', {
        has: page.getByRole('heading', { name: 'Activités du guide' }),
      });
      const proposals = page.locator('section', {
        has: page.getByRole('heading', { name: 'Propositions aux partenaires' }),
      });
      const suggestions = page.locator('section', {
        has: page.getByRole('heading', { name: 'Suggestions pour ces résident·es' }),
      });
      const attendance = page.locator('section', {
        has: page.getByRole('heading', { name: 'Fréquentation' }),
      });
      const gare = agreed.locator('li.wl-item', { hasText: 'Maison des jeunes Gare' });
      await gare.getByText('Régulière').waitFor();
      await gare.getByText('8 places par semaine').waitFor();
      await gare.getByText('Fréquentation : 39 sur 6 semaine(s)').waitFor();
      await proposals
        .locator('li.wl-item', { hasText: 'ACT – coaching' })
        .getByText('Proposée : en attente de réponse')
        .waitFor();
      await proposals.getByText('2 en attente de réponse').waitFor();
      await attendance.getByRole('row', { name: /Maison des jeunes Gare 39 6/ }).waitFor();
      await page.getByText('21 résident·es au').waitFor();

      // Suggestions with their reasons; one already in the guide; another proposed in one click.
      const gareSuggestion = suggestions.locator('li.wl-suggestion', { hasText: 'Maison des jeunes Gare' });
      await gareSuggestion.getByText('Déjà dans le guide').waitFor();
      await gareSuggestion.getByText('parle arabe +0,3').waitFor();
      const studio = suggestions.locator('li.wl-suggestion', { hasText: 'Maison des jeunes Studio' });
      await studio.getByRole('button', { name: /Proposer à Inter-Actions/ }).click();
      await page.getByText('« Maison des jeunes Studio – Bonnevoie » a été proposée').waitFor();
      const studioEntry = proposals.locator('li.wl-item', { hasText: 'Maison des jeunes Studio' });
      await studioEntry.getByText('Proposée : en attente de réponse').waitFor();
      await proposals.getByText('3 en attente de réponse').waitFor();
      await studio.getByText('Déjà dans le guide').waitFor();
      await expectAccessible(page, 'welcome guide builder');

      // Inter-Actions (Sophie) confirms it from its own inbox; Olena refreshes the answers.
      const prisma = hub.t.db.prisma;
      const item = await prisma.guideItem.findFirstOrThrow({
        where: { status: 'PROPOSED', offer: { hsdsId: 'demo:ia-jugendhaus-studio-bonnevoie' } },
      });
      const answer = await hub.t.send(
        AnswerGuideProposalDocument,
        {
          input: {
            id: encodeGlobalID('GuideItem', item.id),
            expectedVersion: item.version,
            decision: 'CONFIRM',
            placesPerWeek: 5,
            weekday: 3,
          },
        },
        { token: sophieToken },
      );
      expect(answer.body.data?.answerGuideProposal.__typename).toBe('MutationAnswerGuideProposalSuccess');
      await proposals.getByRole('button', { name: 'Actualiser les réponses' }).click();
      const studioAgreed = agreed.locator('li.wl-item', { hasText: 'Maison des jeunes Studio' });
      await studioAgreed.getByText('Confirmée').waitFor();
      await studioAgreed.getByText('5 places par semaine').waitFor();
      await studioAgreed.getByText('le mercredi').waitFor();
      await studioAgreed.getByText(/Vérifiée le .* par Inter-Actions/).waitFor();
      await proposals.getByText('2 en attente de réponse').waitFor();

      // Attendance: a week recorded for Streetsport.
      const form = attendance.locator('form');
      await form.getByLabel('Activité').selectOption({ label: 'Streetsport' });
      await form.getByLabel('Nombre de participant·es').fill('-3');
      await form.getByRole('button', { name: 'Enregistrer' }).click();
      await form.getByText('Indiquez un nombre entier entre 0 et 10 000.').waitFor();
      await form.getByLabel('Nombre de participant·es').fill('12');
      await form.getByRole('button', { name: 'Enregistrer' }).click();
      await form.getByText('12 participant·e(s) enregistré·e(s) pour « Streetsport »').waitFor();
      await attendance.getByRole('row', { name: /Streetsport 12 1/ }).waitFor();

      // Inter-Actions pauses Streetsport: the alert arrives live, without a reload.
      await page.getByText('Alertes en direct : actives').waitFor();
      const streetsport = await prisma.offer.findFirstOrThrow({ where: { hsdsId: 'demo:ia-streetsport' } });
      const paused = await hub.t.send(
        PauseOfferDocument,
        { input: { id: encodeGlobalID('Offer', streetsport.id) } },
        { token: sophieToken },
      );
      expect(paused.body.data?.pauseOffer.__typename).toBe('MutationPauseOfferSuccess');
      await page.getByText('Nouvelle alerte : Le prestataire a mis l’offre en pause.').waitFor();
      const alerts = page.locator('section', { has: page.getByRole('heading', { name: 'Alertes' }) });
      const alert = alerts.locator('li.wl-alert', { hasText: 'Le prestataire a mis l’offre en pause.' });
      await alert.waitFor();
      // Which offer it is about, though the coordinator no longer sees it in the catalogue.
      expect(await alert.innerText()).toContain(
        'Offre d’Inter-Actions qui n’est plus visible dans le catalogue',
      );
      await expectAccessible(page, 'welcome guide builder, after the answers');
      await screenshot(page, 'welcome-guide-builder');
      await alert.getByRole('button', { name: /Marquer comme traitée/ }).click();
      await page.getByText('Alerte traitée.').waitFor();
      await alerts.getByText('Aucune alerte').waitFor();

      // The residents' preview: only the agreed activities, in Arabic right to left.
      await page.getByRole('link', { name: 'Aperçu pour les résident·es' }).click();
      await page.getByRole('heading', { level: 1, name: `Aperçu : ${FOYER_TITLE}` }).waitFor();
      const preview = page.locator('article.wl-preview');
      await preview.getByRole('heading', { name: 'Maison des jeunes Gare' }).waitFor();
      await preview.getByRole('heading', { name: /Maison des jeunes Studio/ }).waitFor();
      expect(await preview.getByText('ACT – coaching').count()).toBe(0);
      // The paused offer is left out, as the residents' guide leaves it out.
      expect(await preview.getByText(/plus visible dans le catalogue/).count()).toBe(0);
      await page.getByText('Brouillon : le guide n’est pas encore public.').waitFor();
      await page.getByRole('button', { name: 'Imprimer cet aperçu' }).waitFor();
      await expectAccessible(page, 'welcome preview');
      await screenshot(page, 'welcome-preview');
      // Printed, the preview leaves out the console's frame and controls.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('#main-menu').isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: 'Imprimer cet aperçu' }).isVisible()).toBe(false);
      expect(await preview.isVisible()).toBe(true);
      await screenshot(page, 'welcome-preview-print');
      await page.emulateMedia({ media: 'screen' });
      await page.getByLabel('Langue du guide').selectOption('AR');
      const arabicTitle = preview.locator('h2[lang="ar"]', { hasText: 'أنشطة لشباب دار Saint-Antoine' });
      await arabicTitle.waitFor();
      expect(await arabicTitle.getAttribute('dir')).toBe('rtl');
      // The console's own heading stays in the console's language.
      await page.getByRole('heading', { level: 1, name: `Aperçu : ${FOYER_TITLE}` }).waitFor();
      // Where an offer's title has no Arabic text: in French, left to right, and marked so.
      await preview
        .locator('h3[lang="fr"][dir="ltr"]', { hasText: 'Maison des jeunes Gare' })
        .getByText('texte en français : pas encore traduit')
        .waitFor();
      await expectAccessible(page, 'welcome preview in Arabic');
      await screenshot(page, 'welcome-preview-ar');

      // Back to the builder: publish; the printable public page opens in a new tab.
      await page.getByRole('link', { name: 'Retour au guide' }).click();
      await page.getByRole('heading', { level: 1, name: FOYER_TITLE }).waitFor();
      await page.getByRole('button', { name: 'Publier' }).click();
      await page.getByText('Guide publié : les résident·es peuvent le consulter et l’imprimer.').waitFor();
      const print = page.getByRole('link', { name: /Imprimer le guide publié/ });
      expect(await print.getAttribute('href')).toBe(`/guides/${FOYER_SLUG}?lang=fr`);
      expect(await print.getAttribute('target')).toBe('_blank');
      const [tab] = await Promise.all([cp.context.waitForEvent('page'), print.click()]);
      await tab.waitForLoadState();
      expect(await tab.title()).toContain('Saint-Antoine');
      await tab.close();
      await page.getByRole('button', { name: 'Retirer de la publication' }).waitFor();

      expect(problems).toEqual([]);
      await cp.context.close();
    },
    WAIT * 6,
  );

  it(
    'the builder in English on a phone: no sideways scrolling, every control labelled',
    async () => {
      const cp = await openConsole(hub, { locale: 'en-GB' });
      const { page, problems } = cp;
      await signInAs(hub, cp, OLENA);
      await page.setViewportSize(PHONE);
      await page.goto(guideUrl());
      await page
        .getByRole('heading', {
          level: 1,
          name: 'Activities for the young people of the Saint-Antoine foyer',
        })
        .waitFor();
      await page.getByRole('heading', { name: 'Activities in the guide' }).waitFor();
      await page.getByRole('heading', { name: 'Suggestions for these residents' }).waitFor();
      await page.locator('li.wl-suggestion').first().waitFor();
      await page.getByRole('heading', { name: 'Attendance' }).waitFor();
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await expectAccessible(page, 'welcome guide builder (English, phone)');
      await screenshot(page, 'welcome-guide-builder-en-phone');

      // A phone whose clock runs a week ahead offers next week's Monday: the hub refuses a week in
      // the future, and the notice names the field by its label, not by the input's path. By the
      // phone's clock its 8-hour token has expired: the console refreshes its session on each
      // request meanwhile, as it would on such a phone.
      const recorded = await hub.t.db.prisma.guideAttendance.count();
      await page.clock.setFixedTime(Date.now() + 8 * 86_400_000);
      await page.reload();
      const form = page.locator('form.wl-record');
      await form.getByLabel('Number of participants').fill('3');
      await form.getByRole('button', { name: 'Record' }).click();
      await form.getByText('The hub says: Week (Monday): the date cannot be in the future').waitFor();
      await expect(hub.t.db.prisma.guideAttendance.count()).resolves.toBe(recorded);
      expect(problems).toEqual([]);
      await cp.context.close();
    },
    WAIT * 3,
  );
});
