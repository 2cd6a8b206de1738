/** Mail kept while no SMTP server is configured, listed to hub admins (see mailer.ts). */
import { z } from 'zod';
import { builder } from '../../builder.ts';

builder.prismaObject('MailMessage', {
  description:
    'An e-mail the hub wrote while no SMTP server was configured (SMTP_URL): kept instead of sent. Hub admins only.',
  authScopes: { hubAdmin: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    to: t.exposeString('to'),
    subject: t.exposeString('subject'),
    text: t.exposeString('text'),
    html: t.exposeString('html', { nullable: true }),
    kind: t.exposeString('kind', { description: 'What the mail is, e.g. `invitation`.' }),
    locale: t.exposeString('locale', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  mailMessages: t.prismaConnection({
    type: 'MailMessage',
    cursor: 'id',
    description:
      'Mail kept instead of sent (no SMTP_URL), newest first; hub admins only. Empty when the hub sends mail over SMTP.',
    authScopes: { hubAdmin: true },
    args: {
      to: t.arg.string({
        description: 'Only mail to this address.',
        validate: z.string().trim().max(320),
      }),
      kind: t.arg.string({ description: 'Only mail of this kind.', validate: z.string().max(100) }),
    },
    totalCount: (_parent, args, ctx) => ctx.prisma.mailMessage.count({ where: mailWhere(args) }),
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.mailMessage.findMany({
        ...query,
        where: mailWhere(args),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

function mailWhere(args: { to?: string | null; kind?: string | null }) {
  return {
    ...(args.to ? { to: args.to.trim().toLowerCase() } : {}),
    ...(args.kind ? { kind: args.kind } : {}),
  };
}
