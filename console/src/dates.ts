/** A date and time in the agent's locale, to the minute ("Jan 7, 2026, 9:30 AM"), or nothing: one format on every screen. */
export function when(at: string | undefined): string {
  if (!at) return '';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A day in the agent's locale ("Jan 7, 2026"), or nothing. */
export function day(at: string | undefined): string {
  if (!at) return '';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at : date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
