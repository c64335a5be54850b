/**
 * A status line whose `data-*` attributes say where a step is (`data-progress`), why it failed
 * (`data-error`, and `data-problem` for the server's problem code) or what it made (`data-account-id`).
 */
import type { ComponentChildren } from 'preact';

/** What a status line shows. */
export interface StatusData {
  text: string;
  error?: string;
  problem?: string;
  progress?: string;
  accountId?: string;
  /** A link after the text (the localhost twin). */
  link?: string;
}

export function StatusLine({
  id,
  marker,
  status,
  children,
}: {
  id?: string;
  /** A data attribute naming the line (e.g. `data-passkey-status`). */
  marker?: string;
  status: StatusData | undefined;
  children?: ComponentChildren;
}) {
  const attrs: Record<string, string> = {};
  if (marker !== undefined) attrs[marker] = '';
  if (status?.error !== undefined) attrs['data-error'] = status.error;
  if (status?.problem !== undefined) attrs['data-problem'] = status.problem;
  if (status?.progress !== undefined) attrs['data-progress'] = status.progress;
  if (status?.accountId !== undefined) attrs['data-account-id'] = status.accountId;
  return (
    <p id={id} class="status" role="status" aria-live="polite" {...attrs}>
      {status?.text ?? ''}
      {status?.link !== undefined ? <a href={status.link}> → {status.link}</a> : null}
      {children}
    </p>
  );
}
