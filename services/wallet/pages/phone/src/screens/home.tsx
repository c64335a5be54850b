/**
 * A phone's home screen: what it holds and in which state. A document's elements are read from the wallet
 * only after the owner's biometric and are forgotten when hidden or when the screen changes.
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { docTypeLabel } from '../../../shared/labels';
import { callWallet } from '../../../shared/wallet-api';
import type { ScreenProps } from '../phone';
import type { DocumentElements, ElementView } from '../types';
import { RecordStep, Secrets } from './parts';

function Value({ value }: { value: ElementView }) {
  switch (value.kind) {
    case 'text':
      return <>{value.text}</>;
    case 'image':
      return <img src={value.dataUrl} alt="顔写真 / portrait" />;
    case 'bytes':
      return <span class="note">({value.length} バイト / bytes)</span>;
    case 'withheld':
      return (
        <span class="note">
          この画面には表示しません <span class="en">not shown here</span>
        </span>
      );
  }
}

export function HomeScreen(props: ScreenProps) {
  const { phone } = props;
  const [open, setOpen] = useState<{ id: string; elements: DocumentElements } | undefined>(undefined);
  const active = phone.documents.filter((d) => d.state === 'active');
  const show = (id: string) =>
    props.run(async () => {
      const outcome = await props.askBiometric({
        ja: '書類の内容を表示します',
        en: "Show the document's contents",
      });
      if (outcome === null) return undefined;
      const elements = await callWallet<DocumentElements>(`phones/${phone.id}/documents/${id}/elements`, {
        biometric: outcome,
      });
      setOpen({ id, elements });
      return undefined;
    });
  const nothing = phone.documents.length === 0 && phone.certificates.length === 0;
  return (
    <>
      <h2>
        書類 <span class="en">Documents</span> ({active.length})
      </h2>
      {phone.documents.length === 0 ? (
        <p class="empty">
          まだ何も搭載されていません <span class="en">Nothing installed yet</span>
        </p>
      ) : (
        <ul>
          {phone.documents.map((d) => {
            const name = docTypeLabel(d.docType);
            return (
              <li key={d.id} data-doctype={d.docType} data-state={d.state}>
                {name.ja} <span class="en">{name.en}</span> —{' '}
                {d.state === 'active' ? (
                  <>
                    有効 <span class="en">active</span>, {d.validUntil.slice(0, 10)} まで{' '}
                    <span class="en">until</span>{' '}
                    {open?.id === d.id ? (
                      <button type="button" class="link" onClick={() => setOpen(undefined)}>
                        隠す / Hide
                      </button>
                    ) : (
                      <button
                        type="button"
                        class="link"
                        data-show-elements={d.id}
                        disabled={props.busy}
                        onClick={() => void show(d.id)}
                      >
                        内容を表示 / Show contents
                      </button>
                    )}
                  </>
                ) : (
                  <span class="warn">
                    無効 <span class="en">invalidated</span>
                    {d.invalidationReason ? ` (${d.invalidationReason})` : ''}
                  </span>
                )}
                {open?.id === d.id ? (
                  <dl class="elements" data-elements={d.id}>
                    {open.elements.elements.map((e) => (
                      <Fragment key={`${e.namespace} ${e.identifier}`}>
                        <dt>
                          {e.label ? (
                            <>
                              {e.label.ja} <span class="en">{e.label.en}</span>
                            </>
                          ) : (
                            e.identifier
                          )}
                        </dt>
                        <dd>
                          <Value value={e.value} />
                        </dd>
                      </Fragment>
                    ))}
                  </dl>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <h3>
        電子証明書 <span class="en">JPKI certificates</span>
      </h3>
      {phone.certificates.length === 0 ? (
        <p class="empty">
          なし <span class="en">none</span>
        </p>
      ) : (
        <ul>
          {phone.certificates.map((c) => (
            <li
              key={`${c.purpose}-${c.notAfter}-${c.state}`}
              data-certificate={c.purpose}
              data-state={c.state}
            >
              {c.purpose === 'sign' ? '署名用 / signature' : '利用者証明用 / user authentication'} —{' '}
              {c.state === 'active' ? '有効 / active' : '無効 / invalidated'}, {c.notAfter.slice(0, 10)}
            </li>
          ))}
        </ul>
      )}
      <h3>
        暗証番号 <span class="en">Secrets</span>
      </h3>
      <Secrets phone={phone} />
      <RecordStep {...props} />
      {nothing && props.residents !== undefined ? (
        <p>
          <button type="button" class="primary" onClick={() => props.go('install')}>
            搭載する / Install
          </button>
        </p>
      ) : null}
      {phone.offline ? null : (
        <p>
          <a href={`phones/${phone.id}/openid4vp`} data-scan>
            QRコードを読み取る / Scan a QR code
          </a>
        </p>
      )}
    </>
  );
}
