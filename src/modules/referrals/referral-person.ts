/**
 * What a referral must say about its person: initials or a name, and a way to reach them (a
 * contact channel, with the number or address that channel needs). One rule, used by the service
 * (for every caller) and by the GraphQL input's schema (so that these problems are answered with
 * every other invalid field at once).
 */
import { z } from 'zod';
import type { ContactChannel } from '../../generated/prisma/enums.ts';
import type { FieldProblem } from '../../shared/errors.ts';

/** The person fields the rule reads. */
export interface PersonContact {
  name?: string | null | undefined;
  initials?: string | null | undefined;
  contactChannel?: ContactChannel | null | undefined;
  contact?: string | null | undefined;
}

const PHONE = /^\+?[\d\s()./-]{6,30}$/;
const email = z.email();

/** For each channel: what `contact` must hold, or null when the channel needs none. */
const CONTACT: Record<ContactChannel, { what: string; by: string; valid: (c: string) => boolean } | null> = {
  PHONE: { what: 'a phone number', by: 'by phone', valid: (c) => PHONE.test(c) },
  SMS: { what: 'a phone number', by: 'by SMS', valid: (c) => PHONE.test(c) },
  EMAIL: { what: 'an e-mail address', by: 'by e-mail', valid: (c) => email.safeParse(c).success },
  POST: { what: 'a postal address', by: 'by post', valid: (c) => c.length >= 5 },
  IN_PERSON: null,
  THROUGH_SENDER: null,
};

const filled = (s: string | null | undefined) => !!s && s.trim() !== '';

/** The problems with a person's details, paths relative to the person (`['contact']`). */
export function personProblems(person: PersonContact): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!filled(person.name) && !filled(person.initials)) {
    const message = "give the person's initials or name (at least one)";
    problems.push(
      { path: ['name'], message, reason: 'REQUIRED' },
      { path: ['initials'], message, reason: 'REQUIRED' },
    );
  }
  if (!person.contactChannel) {
    problems.push({
      path: ['contactChannel'],
      message:
        'say how to reach the person: PHONE, SMS, EMAIL or POST (with `contact`), IN_PERSON or THROUGH_SENDER',
      reason: 'REQUIRED',
    });
    return problems;
  }
  const needs = CONTACT[person.contactChannel];
  const contact = person.contact?.trim() ?? '';
  if (needs && !contact) {
    problems.push({
      path: ['contact'],
      message: `give ${needs.what} to reach the person ${needs.by}`,
      reason: 'REQUIRED',
    });
  } else if (needs && !needs.valid(contact)) {
    problems.push({
      path: ['contact'],
      message: `must be ${needs.what} to reach the person ${needs.by}`,
      reason: 'FORMAT',
    });
  }
  return problems;
}
