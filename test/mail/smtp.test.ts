/**
 * Mail over SMTP, against a real SMTP server (smtp-server) started by the test: an invitation is
 * sent (not kept), reads in French then English, and its code is accepted. A server that refuses
 * the mail leaves the invitation in place, reports FAILED, and logs no code; resending works once
 * the server accepts again.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SMTPServer } from 'smtp-server';
import {
  AcceptInvitationDocument,
  InviteMemberDocument,
  ResendInvitationDocument,
} from '../../clients/generated/graphql.ts';
import { createMailer } from '../../src/modules/mail/mailer.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { CODE, ok } from '../accounts/helpers.ts';
import { header, textOf } from '../helpers/smtp.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

const received: Received[] = [];
let refuse = false;
let smtp: SMTPServer;
let port: number;
let t: TestHub;
let s: Scenario;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(refuse ? Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }) : null);
      void address;
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
  t = await startTestHub(
    { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Maillage <hub@maillage.example>' },
    { captureLogs: true },
  );
  s = await seedScenario(t.db.prisma, t.config);
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function invite(email: string, locale?: string) {
  return (
    await t.client(await s.token('alice')).request(InviteMemberDocument, {
      input: {
        organisationId: s.org.alpha.globalId,
        email,
        roles: ['CASE_WORKER'],
        ...(locale ? { locale } : {}),
      },
    })
  ).inviteMember;
}

describe('with SMTP_URL', () => {
  it('sends the invitation (French, then English); its code is accepted; nothing is kept', async () => {
    const sent = ok(await invite('eve@example.org', 'en'));
    expect(sent.mailDelivery).toBe('SENT');
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.to).toEqual(['eve@example.org']);
    expect(mail.from).toBe('hub@maillage.example');
    expect(header(mail.raw, 'Subject')).toBe(
      'Invitation à rejoindre Organisation alpha sur Maillage / Invitation to join Organisation alpha on Maillage',
    );
    const text = textOf(mail.raw);
    expect(text.indexOf('Alice vous invite')).toBeLessThan(text.indexOf('Alice invites you'));
    expect(text).toContain('travail social (orientations)');
    const code = CODE.exec(text)![0];
    const accepted = await t.client().request(AcceptInvitationDocument, { input: { code } });
    expect(ok(accepted.acceptInvitation).email).toBe('eve@example.org');
    expect(await t.db.prisma.mailMessage.count()).toBe(0);
  });

  it('a refused mail is FAILED: the invitation stays, the log names no code; resending later works', async () => {
    refuse = true;
    const sent = ok(await invite('frank@example.org'));
    expect(sent.mailDelivery).toBe('FAILED');
    expect(sent.invitation.status).toBe('PENDING');
    const warning = t.logs.find((l) => l.msg === 'mail could not be sent');
    expect(warning).toMatchObject({ kind: 'invitation' });
    expect(JSON.stringify(t.logs)).not.toMatch(CODE);

    refuse = false;
    const count = received.length;
    const resent = await t.client(await s.token('alice')).request(ResendInvitationDocument, {
      input: { invitationId: sent.invitation.id },
    });
    expect(ok(resent.resendInvitation).mailDelivery).toBe('SENT');
    expect(received).toHaveLength(count + 1);
    expect(received.at(-1)!.to).toEqual(['frank@example.org']);
  });
});

it('an unreachable SMTP server is FAILED, not an exception', async () => {
  const closed = new SMTPServer({ logger: false, disabledCommands: ['STARTTLS'] });
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const mailer = createMailer(
    { SMTP_URL: `smtp://127.0.0.1:${closedPort}`, MAIL_FROM: 'hub@maillage.example' },
    t.db.prisma,
    createLogger('silent'),
  );
  expect(mailer.transport).toBe('smtp');
  await expect(mailer.send({ to: 'x@example.org', subject: 'S', text: 'T', kind: 'test' })).resolves.toBe(
    'FAILED',
  );
});
