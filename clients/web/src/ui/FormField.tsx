import type { ReactNode } from 'react';

/** A field's problem in the user's words, or the hub's sentence (`lang: 'en'`) where the console has none. */
export interface FieldText {
  text: string;
  lang?: string | undefined;
}

/** What a control needs to be tied to its label, problem and hint. */
export interface ControlProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/**
 * A control under its label, then its problem when there is one, then its hint: the control gets
 * its id, `aria-invalid` and `aria-describedby` from `children`'s argument.
 */
export function FormField({
  id,
  label,
  problem,
  hint,
  className,
  children,
}: {
  id: string;
  /** More classes for the field (its width in a row). */
  className?: string | undefined;
  label: string;
  problem?: FieldText | null | undefined;
  hint?: string | undefined;
  children: (control: ControlProps) => ReactNode;
}) {
  const describedBy = [hint && `${id}-hint`, problem && `${id}-problem`].filter(Boolean).join(' ');
  return (
    <div className={['form-field', className].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(problem ? { 'aria-invalid': true as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {problem && (
        <span className="field-error" id={`${id}-problem`} lang={problem.lang}>
          {problem.text}
        </span>
      )}
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}
