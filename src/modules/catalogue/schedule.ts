/**
 * Recurring schedules, iCalendar-style as in HSDS 3.0 `schedule` (freq, byday, opens_at…):
 * stored as JSON on the offer, validated here on the way in.
 */
import { z } from 'zod';
import { translationsInput } from './translations.ts';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

export const scheduleEntry = z
  .object({
    freq: z.enum(['WEEKLY', 'MONTHLY']),
    byday: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    opensAt: time,
    closesAt: time,
    validFrom: date.optional(),
    validTo: date.optional(),
    description: translationsInput(500).optional(),
  })
  .refine((e) => e.opensAt < e.closesAt, { message: 'closesAt must be after opensAt', path: ['closesAt'] })
  .refine((e) => !e.validFrom || !e.validTo || e.validFrom <= e.validTo, {
    message: 'validTo must not be before validFrom',
    path: ['validTo'],
  });

export const scheduleInput = z.array(scheduleEntry).max(50);
export type ScheduleEntry = z.infer<typeof scheduleEntry>;
