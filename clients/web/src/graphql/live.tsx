/**
 * Live data: the SDK's resumable subscriptions (clients/realtime.ts) over graphql-ws. A stream
 * remembers the cursor of the last notice; after a lost connection (or a renewed token) it
 * subscribes again after that cursor and the hub replays what was missed, so a screen catches up
 * without a reload.
 *
 * `LiveReferrals` keeps one stream of the referral events the viewer may see for the whole
 * console; screens ask to be refreshed by `useReferralNotices`.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { ReferralEventsDocument, type ReferralNoticeFragment } from '../../../generated/graphql.ts';
import { resumableSubscription } from '../../../realtime.ts';
import { sessions } from '../auth/session.ts';

export type LiveState = 'connecting' | 'live' | 'interrupted' | 'stopped';

const wsUrl = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;

/**
 * A resumable subscription for as long as the component is mounted (and the variables are the
 * same): `onData` gets each notice once, in order, including those replayed after a reconnection.
 */
export function useResumable<T, V extends { after?: string | null }>(
  document: TypedDocumentNode<T, V>,
  variables: Omit<V, 'after'> | null,
  cursorOf: (data: T) => string,
  onData: (data: T) => void,
): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onData);
  handler.current = onData;
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (variables === null) return;
    setState('connecting');
    const sub = resumableSubscription({
      url: wsUrl(),
      token: async () => (await sessions.validToken()) ?? undefined,
      document,
      variables,
      cursorOf,
      onData: (data) => handler.current(data),
      onConnected: () => setState('live'),
      onInterruption: (_reason, willResume) => setState(willResume ? 'interrupted' : 'stopped'),
      maxDelayMs: 5_000,
    });
    void sub.finished.then((reason) => reason && setState('stopped'));
    return () => void sub.stop();
    // The variables are compared by value (key).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [document, key]);
  return state;
}

type NoticeListener = (notice: ReferralNoticeFragment) => void;

interface LiveReferralsValue {
  state: LiveState;
  listen: (listener: NoticeListener) => () => void;
}

const LiveContext = createContext<LiveReferralsValue>({ state: 'stopped', listen: () => () => undefined });

export function LiveReferrals({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<NoticeListener>());
  const state = useResumable(
    ReferralEventsDocument,
    {},
    (d) => d.referralEvents.cursor,
    (d) => {
      for (const listener of listeners.current) listener(d.referralEvents);
    },
  );
  const [value] = useState<Omit<LiveReferralsValue, 'state'>>(() => ({
    listen: (listener) => {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  }));
  return <LiveContext.Provider value={{ ...value, state }}>{children}</LiveContext.Provider>;
}

export const useLiveState = () => useContext(LiveContext).state;

/**
 * Calls `onNotice` for each referral event the viewer may see (filtered by `match`), and once when
 * the stream reconnects after an interruption (notice: null), so a screen can re-read.
 */
export function useReferralNotices(
  onNotice: (notice: ReferralNoticeFragment | null) => void,
  match: (notice: ReferralNoticeFragment) => boolean = () => true,
): void {
  const { listen, state } = useContext(LiveContext);
  const latest = useRef({ onNotice, match });
  latest.current = { onNotice, match };
  useEffect(
    () =>
      listen((notice) => {
        if (latest.current.match(notice)) latest.current.onNotice(notice);
      }),
    [listen],
  );
  const previous = useRef(state);
  useEffect(() => {
    if (previous.current === 'interrupted' && state === 'live') latest.current.onNotice(null);
    previous.current = state;
  }, [state]);
}
