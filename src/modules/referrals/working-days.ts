/** Due dates in working days (Monday to Friday; public holidays are not counted yet). */
export function addWorkingDays(from: Date, days: number): Date {
  const due = new Date(from);
  let left = days;
  while (left > 0) {
    due.setUTCDate(due.getUTCDate() + 1);
    const weekday = due.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return due;
}
