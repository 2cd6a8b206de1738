import { defineMessages } from '../i18n/i18n.tsx';

export const homeMessages = defineMessages({
  fr: {
    title: (name: string) => `Bonjour ${name}`,
    yourRoles: 'Vos rôles',
    whatNext: 'Par où commencer',
    yourEvents: 'Événements où votre organisation est invitée',
    standsOf: (edition: string) => `Stands – ${edition}`,
  },
  de: {
    title: (name: string) => `Guten Tag, ${name}`,
    yourRoles: 'Ihre Rollen',
    whatNext: 'Womit anfangen',
    yourEvents: 'Veranstaltungen, zu denen Ihre Organisation eingeladen ist',
    standsOf: (edition: string) => `Stände – ${edition}`,
  },
  en: {
    title: (name: string) => `Hello ${name}`,
    yourRoles: 'Your roles',
    whatNext: 'Where to start',
    yourEvents: 'Events your organisation is invited to',
    standsOf: (edition: string) => `Stands – ${edition}`,
  },
});
