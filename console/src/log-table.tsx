import { useEffect, useState } from 'preact/hooks';
import { logFieldsOf, type LogEvent, type LogPage, type Permissions, type UsergateClient } from './api';
import { logEventName } from './log-event-types';
import { ErrorNotice, Pager, Section } from './widgets';
import { when } from './dates';

const PER_PAGE = 10;

/**
 * The table's columns: each shows its first field, with the others in small print under it
 * (`client_id` under `client_name`, the strategy under the connection). A column is shown when the
 * role reads one of its fields; a field no column names gets a column of its own, after these.
 */
const COLUMNS: { label: string; fields: string[] }[] = [
  { label: 'Date', fields: ['date'] },
  { label: 'Event', fields: ['type'] },
  { label: 'Description', fields: ['description'] },
  { label: 'Application', fields: ['client_name', 'client_id'] },
  { label: 'Connection', fields: ['connection', 'strategy', 'strategy_type'] },
  { label: 'IP address', fields: ['ip'] },
  { label: 'User agent', fields: ['user_agent'] },
  { label: 'Details', fields: ['details'] },
];

/** A field's value as text: dates in the agent's locale, objects as `key: value` pairs (never raw JSON). */
function cell(field: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field === 'date' && typeof value === 'string') return when(value);
  if (typeof value !== 'object') return String(value);
  const pairs: string[] = [];
  const walk = (v: unknown, prefix: string): void => {
    if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) walk(inner, prefix ? `${prefix}.${k}` : k);
    } else pairs.push(`${prefix}: ${String(v)}`);
  };
  walk(value, '');
  return pairs.join('; ');
}

/** The user's log events as a table: date, event (named), description and the other fields the role may read; paged. */
export function LogTable({ api, userId, permissions }: { api: UsergateClient; userId: string; permissions: Permissions }) {
  const [page, setPage] = useState(0);
  const [result, setResult] = useState<LogPage>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(true);
  useEffect(() => {
    setBusy(true);
    setError(undefined);
    api.logs(userId, page, PER_PAGE).then(
      (answer) => {
        setResult(answer);
        setBusy(false);
      },
      (err: unknown) => {
        setError(err);
        setBusy(false);
      },
    );
  }, [api, userId, page]);

  // The fields the role reads, and any the answer carries (usergate sends only readable ones).
  const fields = new Set([...logFieldsOf(permissions), ...(result?.logs ?? []).flatMap((l) => Object.keys(l))]);
  const named = new Set(COLUMNS.flatMap((c) => c.fields));
  const columns = [
    ...COLUMNS.map((c) => ({ ...c, fields: c.fields.filter((f) => fields.has(f)) })).filter((c) => c.fields.length > 0),
    ...[...fields].filter((f) => !named.has(f)).map((f) => ({ label: f, fields: [f] })),
  ];
  const pages = result ? Math.max(1, Math.ceil(Math.min(result.total, 1000) / PER_PAGE)) : 1;

  return (
    <Section title="Log events" id="logs">
      <ErrorNotice error={error} />
      <p class="summary" aria-live="polite">
        {busy ? 'Loading…' : result ? `${result.total} event${result.total === 1 ? '' : 's'}` : ''}
      </p>
      {result && result.logs.length > 0 && (
        // Wide for some roles: a region that scrolls sideways, reachable from the keyboard.
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Log events table">
          <table class="logs">
            <caption class="visually-hidden">
              Log events, newest first, page {page + 1} of {pages}
            </caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th scope="col" key={c.label}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.logs.map((event: LogEvent, i) => (
                <tr key={String(event.log_id ?? i)}>
                  {columns.map(({ label, fields: [main, ...more] }) => (
                    <td key={label} data-label={label} class={`log-${main!}`}>
                      {main === 'type' ? (
                        <>
                          {logEventName(event.type)} <code class="code">{String(event.type ?? '')}</code>
                        </>
                      ) : (
                        cell(main!, event[main!])
                      )}
                      {more
                        .filter((f) => event[f] !== undefined && event[f] !== null)
                        .map((f) => (
                          <small key={f} class="more" title={f}>
                            {cell(f, event[f])}
                          </small>
                        ))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result && pages > 1 && (
        <Pager label="Log event pages" page={page} pages={pages} onPage={setPage} busy={busy} previous="Newer" next="Older" />
      )}
    </Section>
  );
}
