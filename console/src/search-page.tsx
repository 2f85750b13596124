import { useEffect, useState } from 'preact/hooks';
import type { Permissions, UserPage, UsergateClient, User } from './api';
import { covers, searchableFields } from './field-access';
import { buildQuery } from './search-query';
import { ErrorNotice, Pager } from './widgets';
import { when } from './dates';

const PER_PAGE = 20;
/** Table columns, each shown when the caller may read it. */
const COLUMNS: { field: string; label: string }[] = [
  { field: 'name', label: 'Name' },
  { field: 'email', label: 'Email' },
  { field: 'app_metadata.org', label: 'Org' },
  { field: 'app_metadata.roles', label: 'Roles' },
  { field: 'blocked', label: 'Status' },
  { field: 'last_login', label: 'Last login' },
];

function at(user: User, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), user);
}

function show(field: string, value: unknown): string {
  if (field === 'blocked') return value === true ? 'Blocked' : 'Active';
  if (Array.isArray(value)) return value.join(', ');
  if (field === 'last_login' && typeof value === 'string') return when(value);
  return value === undefined || value === null ? '' : String(value);
}

function searchParams(hash: string): { field: string; value: string; page: number } {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  return { field: params.get('f') ?? '', value: params.get('v') ?? '', page: Math.max(0, Number(params.get('p') ?? 0) || 0) };
}

function searchHash(field: string, value: string, page: number): string {
  return `#/search?${new URLSearchParams({ f: field, v: value, p: String(page) }).toString()}`;
}

export function SearchPage({ api, permissions, hash }: { api: UsergateClient; permissions: Permissions; hash: string }) {
  const { fields, anyField } = searchableFields(permissions.read);
  const current = searchParams(hash);
  const defaultField = current.field || (fields.includes('email') ? 'email' : (fields[0] ?? (anyField ? '*' : '')));
  const [field, setField] = useState(defaultField);
  const [value, setValue] = useState(current.value);
  const [result, setResult] = useState<UserPage>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const canList = permissions.actions.includes('list');

  useEffect(() => {
    if (!canList) return;
    let q: string | undefined;
    try {
      q = buildQuery(current.field || defaultField, current.value, anyField);
    } catch (err) {
      setError(err);
      return;
    }
    setBusy(true);
    setError(undefined);
    api.listUsers({ q, page: current.page, per_page: PER_PAGE }).then(
      (page) => {
        setResult(page);
        setBusy(false);
      },
      (err: unknown) => {
        setError(err);
        setResult(undefined);
        setBusy(false);
      },
    );
  }, [api, hash]);

  if (!canList) return <p class="notice">Your roles do not allow searching users.</p>;
  const columns = COLUMNS.filter((c) => covers(permissions.read, c.field));
  // Auth0 pages through the first 1000 results only.
  const pages = result ? Math.min(Math.ceil(1000 / PER_PAGE), Math.max(1, Math.ceil(result.total / PER_PAGE))) : 1;
  const go = (page: number): void => {
    window.location.hash = searchHash(current.field || defaultField, current.value, page);
  };

  return (
    <>
      <div class="title-row">
        <h1>Users</h1>
        {permissions.actions.includes('create') && (
          <a class="button primary" href="#/new-user">
            New user
          </a>
        )}
      </div>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          window.location.hash = searchHash(field, value, 0);
        }}
      >
        <label>
          Search in
          <select value={field} onChange={(e) => setField(e.currentTarget.value)} name="field">
            {fields.map((f) => (
              <option value={f} key={f}>
                {f}
              </option>
            ))}
            {anyField && <option value="*">any field</option>}
          </select>
        </label>
        <label class="grow">
          Value <span class="hint">(end with * for a prefix)</span>
          <input
            type="search"
            name="value"
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            placeholder="e.g. ada* or a full value"
          />
        </label>
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      <ErrorNotice error={error} />
      <p role="status" class="summary" aria-live="polite">
        {busy
          ? 'Loading…'
          : result
            ? `${result.total} user${result.total === 1 ? '' : 's'}${current.value ? ` matching ${current.field || defaultField} = ${current.value}` : ''}`
            : ''}
      </p>
      {result && result.users.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">
              Users, page {current.page + 1} of {pages}
            </caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th scope="col" key={c.field}>
                    {c.label}
                  </th>
                ))}
                <th scope="col">User id</th>
              </tr>
            </thead>
            <tbody>
              {result.users.map((u) => (
                <tr key={u.user_id}>
                  {columns.map((c) => (
                    <td key={c.field} data-label={c.label}>
                      {show(c.field, at(u, c.field))}
                    </td>
                  ))}
                  <td data-label="User id">
                    <a href={`#/users/${encodeURIComponent(String(u.user_id))}`}>{String(u.user_id)}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result && <Pager label="Pages" page={current.page} pages={pages} onPage={go} />}
    </>
  );
}
