import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { UsergateError } from './api';

/** usergate's error as the user sees it: message, code, request id, and when to retry after a 429. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  if (!(error instanceof UsergateError)) {
    return (
      <div class="notice error" role="alert">
        <strong>Error:</strong> {error instanceof Error ? error.message : String(error)}
      </div>
    );
  }
  const retryAt = error.retryAfter !== undefined ? new Date(Date.now() + error.retryAfter * 1000) : undefined;
  return (
    <div class="notice error" role="alert" data-error-code={error.errorCode}>
      <strong>
        {error.status} {error.errorCode}:
      </strong>{' '}
      {error.message}
      {error.status === 429 && (
        <p class="retry">
          Too many requests. {retryAt ? `Retry in ${error.retryAfter} s (at ${retryAt.toLocaleTimeString()}).` : 'Retry in a moment.'}
        </p>
      )}
      {error.requestId && (
        <p class="request-id">
          Request id: <code>{error.requestId}</code>
        </p>
      )}
    </div>
  );
}

/** A button that asks for confirmation in a modal dialog (Escape or Cancel backs out) before acting. */
export function ConfirmButton(props: {
  label: string;
  /** The button's accessible name (and its dialog's title) when its label alone is ambiguous (one "Revoke" per row). */
  ariaLabel?: string;
  question: string;
  confirmLabel?: string;
  danger?: boolean;
  /** The button itself is the form's main action. */
  primary?: boolean;
  onConfirm: () => Promise<void> | void;
  disabled?: boolean;
  /** Checked before the dialog opens; `false` keeps it closed (the caller shows why). */
  beforeOpen?: () => boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const titleId = useId();
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else if (dialog.current?.open) dialog.current.close();
  }, [open]);
  return (
    <>
      <button
        type="button"
        class={[props.danger ? 'danger' : '', props.primary ? 'primary' : ''].join(' ').trim() || undefined}
        disabled={props.disabled}
        aria-label={props.ariaLabel}
        onClick={() => setOpen(props.beforeOpen ? props.beforeOpen() : true)}
      >
        {props.label}
      </button>
      <dialog ref={dialog} onClose={() => setOpen(false)} aria-labelledby={titleId}>
        <h2 id={titleId}>{props.ariaLabel ?? props.label}</h2>
        <p>{props.question}</p>
        <div class="actions">
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
          <button
            type="button"
            class={props.danger ? 'danger primary' : 'primary'}
            onClick={() => {
              setOpen(false);
              void props.onConfirm();
            }}
          >
            {props.confirmLabel ?? 'Confirm'}
          </button>
        </div>
      </dialog>
    </>
  );
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="card" aria-labelledby={id ? `${id}-title` : undefined} id={id}>
      <h2 id={id ? `${id}-title` : undefined} tabIndex={id ? -1 : undefined}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** What an action ended in, shown next to its control: a success line, or usergate's error with its request id. */
export type Outcome = { kind: 'ok'; text: string } | { kind: 'error'; error: unknown } | { kind: 'busy'; text: string } | undefined;

/**
 * The outcome of a section's actions, next to its controls: `run` takes the action and the success
 * text; the result is brought into view (never drawn above the fold where the agent cannot see it).
 */
export function useOutcome(onSuccess?: () => void) {
  const [outcome, setOutcome] = useState<Outcome>();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome && outcome.kind !== 'busy') ref.current?.scrollIntoView({ block: 'nearest' });
  }, [outcome]);
  const run = async <T,>(action: () => Promise<T>, done: string | ((value: T) => string)): Promise<T | undefined> => {
    setOutcome({ kind: 'busy', text: 'Working…' });
    try {
      const value = await action();
      setOutcome({ kind: 'ok', text: typeof done === 'string' ? done : done(value) });
      onSuccess?.();
      return value;
    } catch (error) {
      setOutcome({ kind: 'error', error });
      return undefined;
    }
  };
  const view = <OutcomeView outcome={outcome} target={ref} />;
  return { outcome, run, view, clear: () => setOutcome(undefined) };
}

function OutcomeView({ outcome, target }: { outcome: Outcome; target: { current: HTMLDivElement | null } }) {
  // The live region is always there, so a screen reader announces what appears in it.
  return (
    <div class="outcome" ref={target} aria-live="polite">
      {outcome?.kind === 'busy' && <p class="busy">{outcome.text}</p>}
      {outcome?.kind === 'ok' && <p class="notice ok">{outcome.text}</p>}
      {outcome?.kind === 'error' && <ErrorNotice error={outcome.error} />}
    </div>
  );
}

/** "in 3 hours", "in 5 days": how far away a moment is, for expiries. */
export function fromNow(at: Date, now = Date.now()): string {
  const seconds = Math.round((at.getTime() - now) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ];
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(seconds, 'second');
}

/** "1 block", "3 blocks". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Links to the sections of a long page (on a phone the desk is screens away from the top). Buttons,
 * not `#id` links: the hash is the console's route. Moves the focus to the section's heading.
 */
export function JumpNav({ sections }: { sections: { id: string; label: string }[] }) {
  if (sections.length < 2) return null;
  return (
    <nav class="jump" aria-label="On this page">
      <span>On this page:</span>
      <ul>
        {sections.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              onClick={() => {
                const heading = document.getElementById(`${s.id}-title`);
                heading?.scrollIntoView({ block: 'start' });
                heading?.focus();
              }}
            >
              {s.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Previous / next over numbered pages (`page` counts from 0), named for screen readers by `label`. */
export function Pager(props: {
  label: string;
  page: number;
  pages: number;
  onPage: (page: number) => void;
  busy?: boolean;
  previous?: string;
  next?: string;
}) {
  const { label, page, pages, onPage, busy = false } = props;
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" disabled={page === 0 || busy} onClick={() => onPage(page - 1)}>
        {props.previous ?? 'Previous'}
      </button>
      <span>
        Page {page + 1} of {pages}
      </span>
      <button type="button" disabled={page + 1 >= pages || busy} onClick={() => onPage(page + 1)}>
        {props.next ?? 'Next'}
      </button>
    </nav>
  );
}
