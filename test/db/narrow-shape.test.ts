/**
 * `narrowShape` (prisma-json.ts): the inbox reads only the columns the query shows, as the fields
 * declare them (`t.expose*`, a field's `select`, `t.relation`), and keeps whole rows where a field
 * declares nothing; `checkedRow` makes a test fail when code reads a column that was left out.
 * The narrowed statement's rows against Prisma's are in `test/referrals/referral-sql.test.ts`.
 */
import { describe, expect, it } from '@jest/globals';
import { type GraphQLObjectType, Kind, parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { schema } from '../../src/schema.ts';
import { checkedRow, narrowShape, type Shape } from '../../src/shared/db/prisma-json.ts';
import { fieldsOf } from '../../src/shared/selection.ts';
import { BENCH_INBOX, BENCH_INBOX_NARROWED } from '../fixtures/inbox-shapes.ts';

const INBOX = BENCH_INBOX;

/** What a document selects on the inbox's nodes, and its fragments. */
function nodes(document: string) {
  const doc = parse(document);
  const fragments = Object.fromEntries(
    doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const at = (list: readonly FieldNode[] | undefined, name: string) =>
    fieldsOf(
      list?.flatMap((f) => f.selectionSet?.selections ?? []),
      fragments,
    ).get(name);
  const referrals = at([op as unknown as FieldNode], 'referrals');
  const node = at(at(referrals, 'edges'), 'node');
  return { selections: node!.flatMap((n) => n.selectionSet?.selections ?? []), fragments };
}

const type = (name: string) => schema.getType(name) as GraphQLObjectType;

function narrowInbox(document: string): Shape {
  const { selections, fragments } = nodes(document);
  return narrowShape('Referral', INBOX, type('Referral'), selections, fragments);
}

describe('narrowShape', () => {
  it('reads the columns the inbox of bench/referrals shows, relation by relation', () => {
    expect(
      narrowInbox(`{ referrals(box: INCOMING, first: 50) { edges { node {
        id reference status version urgency dueAt person { initials birthYear languages }
        offer { id title { text } } senderOrganisation { name } lastEvent { type toStatus at } } } } }`),
    ).toStrictEqual(BENCH_INBOX_NARROWED);
  });

  it('follows fragments and inline fragments, and merges a relation selected twice', () => {
    expect(
      narrowInbox(`{ referrals(box: INCOMING, first: 5) { edges { node { ...Row ... on Referral { urgency }
        a: offer { status } b: offer { capacity { free } } } } } }
        fragment Row on Referral { reference }`),
    ).toStrictEqual({
      select: {
        id: true,
        reference: true,
        urgency: true,
        offer: {
          select: {
            id: true,
            status: true,
            capacityPlaces: true,
            capacityFree: true,
            waitlist: true,
            capacityUpdatedAt: true,
          },
        },
        // Loaded by Pothos for `person`, not shown: kept as Pothos asked.
        person: true,
        consents: { select: { withdrawnAt: true } },
        senderOrganisation: true,
      },
    });
  });

  it('reads what an authorisation by a function of the row declares (`authReads`), and the columns a `select` reads of a shown relation', () => {
    const withAssignee = (document: string, include: Shape['include']) => {
      const { selections, fragments } = nodes(document);
      return narrowShape('Referral', { include }, type('Referral'), selections, fragments);
    };
    const routing = { senderOrganisationId: true, receiverOrganisationId: true, sentAt: true };
    // `assignee` is for the receiving side: its authorisation reads the referral's routing.
    expect(
      withAssignee(
        `{ referrals(box: INCOMING, first: 5) { edges { node { reference assignee { name } } } } }`,
        {
          assignee: true,
        },
      ),
    ).toStrictEqual({
      select: { id: true, reference: true, ...routing, assignee: { select: { id: true, name: true } } },
    });
    // `assigneeName` selects the assignee's name: added to what `assignee` shows of it.
    expect(
      withAssignee(
        `{ referrals(box: INCOMING, first: 5) { edges { node { assigneeName assignee { email } } } } }`,
        { assignee: true },
      ),
    ).toStrictEqual({
      select: { id: true, ...routing, assignee: { select: { id: true, email: true, name: true } } },
    });
    // Alone, it is read as its `select` says (Pothos merged it into the shape).
    expect(
      withAssignee(`{ referrals(box: INCOMING, first: 5) { edges { node { assigneeName } } } }`, {
        assignee: { select: { name: true } },
      }),
    ).toStrictEqual({ select: { id: true, assignee: { select: { name: true } } } });
  });

  it('keeps whole rows where a field does not say what it reads', () => {
    // The offer's `missingTranslations` is authorised by a function of the offer: the offer stays whole.
    expect(
      narrowInbox(
        `{ referrals(box: INCOMING, first: 5) { edges { node { reference offer { missingTranslations { field } } } } } }`,
      ),
    ).toMatchObject({ select: { reference: true, offer: true } });
    // An event's `actor` has no `select`: the whole event.
    const event = parse(`{ e { type actor { name } } }`).definitions[0] as OperationDefinitionNode;
    const selections = (event.selectionSet.selections[0] as FieldNode).selectionSet!.selections;
    expect(narrowShape('ReferralEvent', {}, type('ReferralEvent'), selections, {})).toStrictEqual({});
    expect(narrowShape('ReferralEvent', {}, type('ReferralEvent'), selections.slice(0, 0), {})).toStrictEqual(
      {
        select: { id: true },
      },
    );
  });
});

describe('checkedRow', () => {
  const shape: Shape = { select: { id: true, status: true, offer: { select: { id: true } } } };
  const row = () =>
    checkedRow<Record<string, unknown>>('Referral', { id: 'r1', status: 'SENT', offer: { id: 'o1' } }, shape);

  it('throws where a test reads a column the shape left out, in the row or a relation', () => {
    expect(row().status).toBe('SENT');
    expect(() => row().needs).toThrow('Referral.needs was not read');
    expect(() => (row().offer as Record<string, unknown>).title).toThrow('Offer.title was not read');
  });

  it('lets relations not loaded, symbols and unknown names read as undefined (Pothos checks those)', () => {
    const r = row();
    expect(r.person).toBeUndefined();
    expect(r[Symbol.for('x') as unknown as string]).toBeUndefined();
    expect(r.somethingElse).toBeUndefined();
    expect(checkedRow('Referral', { id: 'r1' }, { include: {} })).toStrictEqual({ id: 'r1' });
  });
});
