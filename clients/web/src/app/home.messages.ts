import { defineMessages } from '../i18n/i18n.tsx';

export const homeMessages = defineMessages({
  fr: {
    title: (name: string) => `Bonjour ${name}`,
    yourRoles: 'Vos rôles',
    whatNext: 'Par où commencer',
  },
  de: {
    title: (name: string) => `Guten Tag, ${name}`,
    yourRoles: 'Ihre Rollen',
    whatNext: 'Womit anfangen',
  },
  en: {
    title: (name: string) => `Hello ${name}`,
    yourRoles: 'Your roles',
    whatNext: 'Where to start',
  },
});
