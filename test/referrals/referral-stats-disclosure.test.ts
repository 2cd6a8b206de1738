/**
 * The disclosure rules of referral statistics, checked exhaustively: every table of small
 * breakdowns (and theme rows) is published, tables are grouped by what a reader sees, and for
 * every count shown as "< 5" the tables that look the same must leave it free to be any of 1–4.
 * That is "not derivable by subtraction" (nor by bounds) taken literally, for one answer.
 */
import { describe, expect, it } from '@jest/globals';
import {
  publishCount,
  publishFlow,
  publishSum,
  publishThemeRow,
  SMALL,
  type PublishedCount,
} from '../../src/modules/referrals/referral-stats.disclosure.ts';

const show = (c: PublishedCount) => c.display;

/** Every tuple of `k` counts in [0, max). */
function* tuples(k: number, max: number): Generator<number[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (const rest of tuples(k - 1, max)) for (let n = 0; n < max; n++) yield [...rest, n];
}

/**
 * Groups true tables by what is published, then returns the "< 5" cells that the tables looking
 * the same do not leave free to be any of 1–4 (as `display @ index: values`). Published forms
 * with a number near `max` are skipped: the enumeration cuts their ranges short.
 */
function pinned(tables: Iterable<{ truth: number[]; published: PublishedCount[] }>, max: number): string[] {
  const forms = new Map<string, { published: PublishedCount[]; truths: number[][] }>();
  for (const { truth, published } of tables) {
    const key = published.map(show).join(' | ');
    const form = forms.get(key) ?? { published, truths: [] };
    form.truths.push(truth);
    forms.set(key, form);
  }
  const problems: string[] = [];
  for (const [key, { published, truths }] of forms) {
    if (published.some((p) => p.value !== null && p.value + 2 >= max)) continue;
    published.forEach((p, i) => {
      if (p.display !== SMALL) return;
      const values = new Set(truths.map((t) => t[i]));
      if (![1, 2, 3, 4].every((v) => values.has(v)) && truths.some((t) => t[i]! > 0))
        problems.push(`${key} @ ${i}: ${[...values].sort().join(',')}`);
    });
  }
  return problems;
}

describe('one count', () => {
  it('0 as 0, 1–4 as "< 5", then rounded to the nearest 5', () => {
    const shown = [0, 1, 4, 5, 7, 8, 12, 13, 102].map((n) => [n, publishCount(n)]);
    expect(Object.fromEntries(shown)).toEqual({
      0: { value: 0, display: '0', suppressed: false },
      1: { value: null, display: '< 5', suppressed: true },
      4: { value: null, display: '< 5', suppressed: true },
      5: { value: 5, display: '5', suppressed: false },
      7: { value: 5, display: '5', suppressed: false },
      8: { value: 10, display: '10', suppressed: false },
      12: { value: 10, display: '10', suppressed: false },
      13: { value: 15, display: '15', suppressed: false },
      102: { value: 100, display: '100', suppressed: false },
    });
  });
});

describe('a flow: statuses summing to the total, decline reasons summing to DECLINED', () => {
  /** Statuses `others` then DECLINED (the sum of `reasons`); displays as [total, …statuses, …reasons]. */
  const flow = (others: number[], reasons: number[] = [0]) => {
    const f = publishFlow([...others, sum(reasons)], others.length, reasons);
    return [f.total, ...f.statuses, ...f.reasons];
  };
  const sum = (ns: number[]) => ns.reduce((s, n) => s + n, 0);

  it('a total says nothing about its small parts: 5 + 1 and 5 + 4 look the same', () => {
    // Rounding the exact sum would give them away: 5 + 1 = 6 shown as 5 (5–7) means "at most 2",
    // 4 + 4 = 8 shown as 10 (8–12) means 4 and 4. Each "< 5" counts as 2.5 in its total instead.
    expect(flow([5, 1]).map(show)).toEqual(['10', '5', '< 5', '0', '0']);
    expect(flow([5, 4])).toEqual(flow([5, 1]));
    expect(flow([4, 4]).map(show)).toEqual(['5', '< 5', '< 5', '0', '0']);
    expect(flow([1, 4])).toEqual(flow([4, 4]));
    // Without a small part, the total is the exact sum rounded.
    expect(flow([10, 12, 0]).map(show)).toEqual(['20', '10', '10', '0', '0', '0']);
    expect(flow([10, 2])[0]).toEqual({ value: 15, display: '15', suppressed: false });
  });

  it('a small total hides every status and every reason, zeros included', () => {
    expect(flow([0, 2], [1, 0]).map(show)).toEqual(['< 5', '< 5', '< 5', '< 5', '< 5', '< 5']);
    expect(flow([0, 0], [0, 0]).map(show)).toEqual(['0', '0', '0', '0', '0', '0']);
  });

  it('a small DECLINED hides every reason, zeros included', () => {
    expect(flow([20], [3, 0]).map(show)).toEqual(['25', '20', '< 5', '< 5', '< 5']);
  });

  it('DECLINED is the total of its reasons, and counts as such in the flow’s total', () => {
    expect(flow([20], [5, 1]).map(show)).toEqual(['30', '20', '10', '5', '< 5']);
    expect(flow([20], [5, 4])).toEqual(flow([20], [5, 1]));
  });

  it.each([
    [2, 40],
    [3, 22],
    [4, 13],
  ])('%i statuses (each 0–%i), no declines: no "< 5" can be narrowed from what is published', (k, max) => {
    function* tables() {
      for (const others of tuples(k, max))
        yield { truth: [sum(others), ...others, 0, 0], published: flow(others) };
    }
    expect(pinned(tables(), max)).toEqual([]);
  });

  it.each([
    [1, 2, 16],
    [2, 2, 11],
    [1, 3, 11],
  ])(
    '%i statuses and DECLINED by %i reasons (each 0–%i): nothing narrowed across the two sums',
    (k, r, max) => {
      function* tables() {
        for (const counts of tuples(k + r, max)) {
          const [others, reasons] = [counts.slice(0, k), counts.slice(k)];
          const published = flow(others, reasons);
          // DECLINED is shown once, in the statuses; the reasons must agree with it.
          yield { truth: [sum(counts), ...others, sum(reasons), ...reasons], published };
        }
      }
      expect(pinned(tables(), max)).toEqual([]);
    },
  );
});

describe('theme rows', () => {
  it('a small side hides declined and completed; a small one of those hides the other', () => {
    const row = (sent: number, received: number, declined: number, completed: number) =>
      Object.values(publishThemeRow({ sent, received, declined, completed })).map(show);
    expect(row(10, 0, 0, 10)).toEqual(['10', '0', '0', '10']);
    expect(row(3, 10, 0, 10)).toEqual(['< 5', '10', 'hidden', 'hidden']);
    expect(row(10, 0, 1, 9)).toEqual(['10', '0', '< 5', 'hidden']);
  });

  it.each([
    ['an organisation (sent and received apart)', false],
    ['the network (sent = received)', true],
  ])('%s: no "< 5" can be narrowed by declined + completed ≤ sent + received', (_what, network) => {
    const max = 16;
    function* tables() {
      for (const [sent, received, declined, completed] of tuples(4, max)) {
        if (network && received !== sent) continue;
        if (declined! + completed! > (network ? sent! : sent! + received!)) continue;
        const row = publishThemeRow({
          sent: sent!,
          received: received!,
          declined: declined!,
          completed: completed!,
        });
        yield {
          truth: [sent!, received!, declined!, completed!],
          published: [row.sent, row.received, row.declined, row.completed],
        };
      }
    }
    expect(pinned(tables(), max)).toEqual([]);
  });
});

describe('the flows’ matrix (network statistics): cells with row and column totals', () => {
  it('no small cell is pinned by the totals of its row and column (2 × 2, counts 0–15)', () => {
    const max = 16;
    function* tables() {
      for (const [a, b, c, d] of tuples(4, max) as Generator<[number, number, number, number]>) {
        const cells = [a, b, c, d].map(publishCount);
        // Rows a+b, c+d; columns a+c, b+d: each published from its cells.
        const totals = [publishSum([a, b]), publishSum([c, d]), publishSum([a, c]), publishSum([b, d])];
        yield { truth: [a, b, c, d, a + b, c + d, a + c, b + d], published: [...cells, ...totals] };
      }
    }
    expect(pinned(tables(), max)).toEqual([]);
  });

  it('a row of three cells and its total (counts 0–20)', () => {
    const max = 21;
    function* tables() {
      for (const cells of tuples(3, max)) {
        const total = cells.reduce((x, y) => x + y, 0);
        yield { truth: [...cells, total], published: [...cells.map(publishCount), publishSum(cells)] };
      }
    }
    expect(pinned(tables(), max)).toEqual([]);
  });
});
