/** What frames every relying party's page: the bar back to the sandbox and the relying parties, the loading line. */
import type { ComponentChildren } from 'preact';

/** The page's top bar: the way back to the sandbox and to the list of relying parties, and the page's title. */
export function TopBar({
  relyingParties,
  children,
}: {
  relyingParties: string;
  children: ComponentChildren;
}) {
  return (
    <header class="top">
      <p class="back">
        <a href="/">← サンドボックス / sandbox</a> · <a href={relyingParties}>依拠当事者 / relying parties</a>
      </p>
      <h1>{children}</h1>
    </header>
  );
}

export function Loading() {
  return <p class="muted">読み込み中… Loading…</p>;
}

/** What the page needed could not be loaded: the error's code. */
export function LoadFailed({ code }: { code: string }) {
  return (
    <p class="error" role="alert" data-error={code}>
      読み込めませんでした <small>could not load</small> (<code>{code}</code>)
    </p>
  );
}
