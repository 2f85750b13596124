import { useEffect, useRef, useState } from 'preact/hooks';
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
  question: string;
  confirmLabel?: string;
  danger?: boolean;
  onConfirm: () => Promise<void> | void;
  disabled?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else if (dialog.current?.open) dialog.current.close();
  }, [open]);
  return (
    <>
      <button type="button" class={props.danger ? 'danger' : ''} disabled={props.disabled} onClick={() => setOpen(true)}>
        {props.label}
      </button>
      <dialog ref={dialog} onClose={() => setOpen(false)} aria-labelledby="confirm-title">
        <h2 id="confirm-title">{props.label}</h2>
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
      <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
      {children}
    </section>
  );
}
