/**
 * Expected failures that mean something only in the Welcome module (shelters, guides). Shared
 * meanings (not found, forbidden, invalid fields, a stale version, an impossible step) are in
 * src/shared/errors.ts.
 */
import type { GuideStatus } from '../../generated/prisma/enums.ts';
import { DomainError, InvalidTransitionError, type FieldProblem } from '../../shared/errors.ts';

/**
 * Publishing a guide needs a title in its source language and at least one entry its provider
 * agreed to (CONFIRMED or REGULAR): residents would otherwise get an empty or untitled guide.
 */
export class GuideNotPublishableError extends DomainError {
  static readonly code = 'welcome/guide_not_publishable';
  readonly code = GuideNotPublishableError.code;
  constructor(readonly fields: FieldProblem[]) {
    super(
      `The guide cannot be published yet: ${fields.map((f) => `${f.path.join('.')} ${f.message}`).join('; ')}.`,
    );
  }
}

const DONE: Record<'edit' | 'publish' | 'archive', string> = {
  edit: 'edited',
  publish: 'published',
  archive: 'archived',
};

/** A guide's status does not allow this step: an InvalidTransitionError worded for guides. */
export class GuideStatusError extends InvalidTransitionError {
  constructor(status: GuideStatus, action: keyof typeof DONE) {
    super(`A guide that is ${status.toLowerCase()} cannot be ${DONE[action]}.`, status);
  }
}
