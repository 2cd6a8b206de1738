/**
 * An action that cannot be undone, asked first: a button opens the question, which offers the
 * action and "keep". The safe answer ("keep") has the focus when the question opens; "keep", or a
 * refusal from the hub, gives the focus back to the button that asked. Used where organisers take
 * something away (a session off the programme, an invitation's code).
 */
import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';

export interface QuestionState {
  asking: boolean;
  /** Opens the question. */
  ask: () => void;
  /** Closes it after the action was done (the button that asked may be gone). */
  done: () => void;
  /** Closes it without the action, or after a refusal: the focus goes back to the asking button. */
  keep: () => void;
  /** For the button that asks. */
  askRef: RefObject<HTMLButtonElement>;
  keepRef: RefObject<HTMLButtonElement>;
}

export function useQuestion(): QuestionState {
  const [asking, setAsking] = useState(false);
  const [keptTimes, setKeptTimes] = useState(0);
  const askRef = useRef<HTMLButtonElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) keepRef.current?.focus();
  }, [asking]);
  useEffect(() => {
    if (keptTimes > 0) askRef.current?.focus();
  }, [keptTimes]);
  return {
    asking,
    ask: () => setAsking(true),
    done: () => setAsking(false),
    keep: () => {
      setAsking(false);
      setKeptTimes((n) => n + 1);
    },
    askRef,
    keepRef,
  };
}

/** The open question: its words, the action (a danger button) and "keep". */
export function Question({
  state,
  children,
  act,
  keepLabel,
  busy,
  onAct,
}: {
  state: QuestionState;
  /** What will happen, in words. */
  children: ReactNode;
  act: string;
  keepLabel: string;
  busy: boolean;
  onAct: () => void;
}) {
  const id = useId();
  return (
    <div className="notice notice-problem">
      <p id={id}>{children}</p>
      <p className="row" role="group" aria-labelledby={id}>
        <button type="button" className="danger" disabled={busy} onClick={onAct}>
          {act}
        </button>
        <button type="button" className="secondary" ref={state.keepRef} disabled={busy} onClick={state.keep}>
          {keepLabel}
        </button>
      </p>
    </div>
  );
}
