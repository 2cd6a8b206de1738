/** The signed-in session (null: signed out), re-rendering when it changes in this tab or another. */
import { useSyncExternalStore } from 'react';
import { sessions, type StoredSession } from './session.ts';

const subscribe = (onChange: () => void) => sessions.subscribe(onChange);
const current = () => sessions.session;

export const useSession = (): StoredSession | null => useSyncExternalStore(subscribe, current);
