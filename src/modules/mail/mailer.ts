/**
 * Outgoing mail, for every module that writes to people (invitations, event registrations…):
 * sent over SMTP when `SMTP_URL` is configured, otherwise kept in the `MailMessage` table and
 * listed to hub admins (`mailMessages`, `npm run mail:list`), so that a demo or a trial without a
 * mail server still shows what would have been sent.
 *
 * Callers send after their transaction commits: a mail never announces something that did not
 * happen, and a failed send is reported (status FAILED, logged) without undoing the change.
 */
import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../shared/config.ts';
import type { Logger } from '../../shared/logger.ts';

/** One message, whatever the transport. */
export interface MailInput {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** What the mail is, named by the module that writes it, e.g. `invitation`. */
  kind: string;
  /** Ids of what it concerns, by name, e.g. `{ invitationId, organisationId }`. */
  related?: Record<string, string>;
  /** The language it is written in (first), when one was chosen for the recipient. */
  locale?: string | null;
}

/** SENT: accepted by the SMTP server; KEPT: stored, no server configured; FAILED: see the log. */
export type MailStatus = 'SENT' | 'KEPT' | 'FAILED';

export interface Mailer {
  readonly transport: 'smtp' | 'kept';
  /** Sends (or keeps) one message. Never throws: a failure is `FAILED`, logged with the reason. */
  send(mail: MailInput): Promise<MailStatus>;
}

/** Timeouts of one SMTP conversation: a mail server that hangs must not hold a request for minutes. */
const SMTP_TIMEOUT_MS = 10_000;

/** The mailer the configuration asks for. */
export function createMailer(
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM'>,
  prisma: PrismaClient,
  logger: Logger,
): Mailer {
  const url = config.SMTP_URL;
  if (!url) return keptMailer(prisma, logger);
  // nodemailer is loaded with the first mail sent, not when the hub starts: imported, it holds
  // ~3 MB of heap and ~14 MB of resident memory (docs/NOTES.md). A failed import or setup is not
  // kept: the next mail tries again.
  let transport: Promise<Transporter> | undefined;
  const connect = () =>
    (transport ??= import('nodemailer')
      .then(({ default: nodemailer }) =>
        nodemailer.createTransport(
          {
            url,
            connectionTimeout: SMTP_TIMEOUT_MS,
            greetingTimeout: SMTP_TIMEOUT_MS,
            socketTimeout: SMTP_TIMEOUT_MS,
          },
          { from: config.MAIL_FROM },
        ),
      )
      .catch((error: unknown) => {
        transport = undefined;
        throw error;
      }));
  return {
    transport: 'smtp',
    async send(mail) {
      try {
        const info = await (
          await connect()
        ).sendMail({
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
        });
        logger.info({ kind: mail.kind, related: mail.related, messageId: info.messageId }, 'mail sent');
        return 'SENT';
      } catch (err) {
        // The reason, never the message (it may carry a code such as an invitation's).
        logger.warn(
          { kind: mail.kind, related: mail.related, err: (err as Error).message },
          'mail could not be sent',
        );
        return 'FAILED';
      }
    },
  };
}

function keptMailer(prisma: PrismaClient, logger: Logger): Mailer {
  return {
    transport: 'kept',
    async send(mail) {
      try {
        await prisma.mailMessage.create({
          data: {
            to: mail.to.toLowerCase(),
            subject: mail.subject,
            text: mail.text,
            html: mail.html ?? null,
            kind: mail.kind,
            related: mail.related ?? {},
            locale: mail.locale ?? null,
          },
        });
        logger.info({ kind: mail.kind, related: mail.related }, 'mail kept (no SMTP_URL)');
        return 'KEPT';
      } catch (err) {
        logger.warn({ kind: mail.kind, err: (err as Error).message }, 'mail could not be kept');
        return 'FAILED';
      }
    },
  };
}
