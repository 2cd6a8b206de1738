/**
 * The tabs GraphiQL opens with: one per user story, each runnable on the demo data as it stands
 * (test/readme/readme.test.ts runs every operation of every tab, as the user it names).
 *
 * Conventions, shared with the README's examples: `# as <email>` names the demo user whose token
 * the tab needs (none: anonymous), and `# $name: <path> of <Operation>` says where a variable's
 * value comes from (a field of an earlier operation's result).
 */
import { DEMO_STORIES } from './demo-users.ts';

export interface ExampleTab {
  /** Demo user whose token the tab needs; absent: anonymous. */
  as?: string;
  query: string;
  /** The Variables pane, as GraphiQL shows it. */
  variables?: Record<string, unknown>;
}

const [sender, receiver] = DEMO_STORIES;
const tokenHelp = (email: string) => `# as ${email}
# Needs a token: run \`npm run token -- ${email}\` in a terminal and paste its last line in
# Headers below: {"Authorization": "Bearer eyJ…"}`;

const searchOffers = `# Welcome to Maillage. Run an operation with ▶ (or Ctrl-Enter); "Docs" (the book icon, top left)
# documents every field. The published catalogue is public: no token needed.
# Other tabs: send a referral, the inbox, live events. Which demo user for what: the hub's page /.
query SearchOffers {
  offers(
    filter: { text: "cours de français", communes: ["Luxembourg"], themes: ["language"] }
    first: 10
  ) {
    totalCount
    edges {
      node {
        id
        title(lang: DE) {
          text
          language
          fallback
        }
        organisation {
          name
        }
        sites {
          name
          commune
        }
        acceptsReferrals
      }
    }
  }
}
`;

const sendReferral = `${tokenHelp(sender!.email)}
# Léa, a case worker of the Office social, orients a person to Inter-Actions' debt advice.
# 1. Run FindOffer. 2. Put the offer's id in Variables as "offerId"; run CreateReferral (a draft).
# 3. Put the referral's id as "referralId", its version as "version"; run SendReferral.
query FindOffer {
  offers(filter: { text: "information surendettement", acceptsReferrals: true }, first: 3) {
    edges {
      node {
        id
        title {
          text
        }
        organisation {
          name
        }
      }
    }
  }
}

# $offerId: offers.edges[0].node.id of FindOffer
mutation CreateReferral($offerId: ID!) {
  createReferral(
    input: {
      offerId: $offerId
      needs: "Loyer impayé depuis deux mois; souhaite un plan de règlement."
      urgency: URGENT
      person: { initials: "K. B.", languages: ["fr", "ar"], contactChannel: PHONE, contact: "+352 621 000 000" }
      consentPurpose: "Orientation vers le conseil en surendettement d'Inter-Actions"
    }
  ) {
    __typename
    ... on MutationCreateReferralSuccess {
      data {
        referral {
          id
          reference
          status
          version
        }
      }
    }
    ... on Error {
      code
      message
    }
  }
}

# $referralId: createReferral.data.referral.id of CreateReferral
# $version: createReferral.data.referral.version of CreateReferral
mutation SendReferral($referralId: ID!, $version: Int!) {
  sendReferral(input: { id: $referralId, expectedVersion: $version }) {
    __typename
    ... on MutationSendReferralSuccess {
      data {
        referral {
          reference
          status
          dueAt
        }
      }
    }
    ... on Error {
      code
      message
    }
  }
}
`;

const inbox = `${tokenHelp(receiver!.email)}
# Marc, a case worker of Inter-Actions: the referrals his organisation received, newest first.
query Inbox {
  referrals(box: INCOMING, first: 10) {
    totalCount
    edges {
      node {
        reference
        status
        urgency
        dueAt
        senderOrganisation {
          name
        }
        offer {
          title {
            text
          }
        }
      }
    }
  }
  referralStatusCounts(box: INCOMING) {
    status
    count
  }
}
`;

const live = `${tokenHelp(receiver!.email)}
# Marc's referral events, live (graphql-ws). \`after: "0"\` replays the kept history first; omit it
# to start from now. Keep this tab running and act as Léa in the "send a referral" tab.
subscription LiveReferralEvents {
  referralEvents(after: "0") {
    cursor
    type
    reference
    fromStatus
    toStatus
    status
  }
}
`;

const matchOffers = `# Welcome: which published offers fit residents of the SHUK (Kirchberg) who speak Arabic, for
# French courses open on Tuesday or Thursday? Each result explains its score, one line per factor;
# near misses say which filter left them out. Public: no token needed. The printed guide:
# /guides/activites-pres-du-shuk?lang=ar (also .ics and .geojson).
query MatchOffers {
  matchOffers(
    criteria: {
      themes: ["language"]
      languages: ["ar"]
      point: { latitude: 49.6318, longitude: 6.1688 }
      openOn: [2, 4]
    }
    first: 5
    lang: FR
  ) {
    __typename
    ... on QueryMatchOffersSuccess {
      data {
        totalCount
        matches {
          score
          distanceMeters
          walkingMinutes
          offer {
            title {
              text
            }
            organisation {
              name
            }
          }
          reasons {
            weight
            text
          }
        }
        excluded {
          text
        }
      }
    }
    ... on Error {
      code
      message
    }
  }
}
`;

export const EXAMPLE_TABS: readonly ExampleTab[] = [
  { query: searchOffers },
  {
    as: sender!.email,
    query: sendReferral,
    variables: { offerId: '<id from FindOffer>', referralId: '<id from CreateReferral>', version: 1 },
  },
  { as: receiver!.email, query: inbox },
  { as: receiver!.email, query: live },
  { query: matchOffers },
];
