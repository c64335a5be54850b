/**
 * What every consent screen of the phone shows the same way — the OpenID4VP screen of a scanned QR code
 * (openid4vp-screen.tsx) and the screen of a request the phone's OS hands it (incoming-screen.tsx): per
 * requested document each element with whether the requester intends to keep it, a box per element the
 * phone holds (ticked at first), and why any other is not offered — not held, or My Number withheld from a
 * requester whose certificate declares no legal basis (DOMAIN.md §2); the consent of the ticked boxes; and
 * after sending, the names of what was sent (never a value).
 */
import type { Label } from '../../shared/labels';
import type { ConsentDocument, ConsentElement } from './api';

/** The box value of one element: `[docType, namespace, identifier]` as JSON. */
export const boxOf = (docType: string, e: ConsentElement) =>
  JSON.stringify([docType, e.namespace, e.identifier]);

/** The phone offers a box for an element it holds and does not withhold. */
export const offered = (e: ConsentElement) => e.held && e.withheld === null;

/** The boxes ticked when a screen opens: everything offered. */
export function offeredBoxes(documents: readonly ConsentDocument[]): Set<string> {
  return new Set(
    documents.flatMap((d) => (d.available ? d.elements.filter(offered).map((e) => boxOf(d.docType, e)) : [])),
  );
}

/** Whether anything at all can be sent. */
export const anythingOffered = (documents: readonly ConsentDocument[]) =>
  documents.some((d) => d.available && d.elements.some(offered));

/** The consent of the ticked boxes: per docType and namespace the identifiers (own properties only). */
export function consentOf(ticked: ReadonlySet<string>): Record<string, Record<string, string[]>> {
  const consent = new Map<string, Map<string, string[]>>();
  for (const box of ticked) {
    const [docType, namespace, identifier] = JSON.parse(box) as [string, string, string];
    const namespaces = consent.get(docType) ?? new Map<string, string[]>();
    consent.set(docType, namespaces);
    namespaces.set(namespace, [...(namespaces.get(namespace) ?? []), identifier]);
  }
  return Object.fromEntries([...consent].map(([d, ns]) => [d, Object.fromEntries(ns)]));
}

/** `box` added to or taken from `ticked`. */
export function toggled(ticked: ReadonlySet<string>, box: string): Set<string> {
  const next = new Set(ticked);
  if (!next.delete(box)) next.add(box);
  return next;
}

function Retain({ e }: { e: ConsentElement }) {
  return e.intentToRetain ? (
    <span class="retain" data-retain="yes">
      保存されます <small>will be kept</small>
    </span>
  ) : (
    <span class="retain" data-retain="no">
      保存されません <small>not kept</small>
    </span>
  );
}

function ElementLine({
  docType,
  e,
  checked,
  toggle,
}: {
  docType: string;
  e: ConsentElement;
  checked: boolean;
  toggle: (box: string) => void;
}) {
  const label = (
    <>
      {e.label.ja} <small>{e.label.en}</small> <Retain e={e} />
    </>
  );
  const common = { 'data-element': e.identifier, 'data-namespace': e.namespace };
  if (e.withheld !== null)
    return (
      <li {...common} data-withheld={e.withheld} class="withheld">
        ✕ {label}
        <br />
        <span class="warn">
          提供しません: 要求元の証明書に個人番号の利用根拠がありません{' '}
          <small>withheld: the requester's certificate declares no legal basis for My Number</small>{' '}
          <code>WALLET_MY_NUMBER_WITHHELD</code>
        </span>
      </li>
    );
  if (!e.held)
    return (
      <li {...common} data-held="no" class="not-held">
        ✕ {label}
        <br />
        <span class="warn">
          この電話にはありません <small>not held by this phone</small>
        </span>
      </li>
    );
  const box = boxOf(docType, e);
  return (
    <li {...common}>
      <label class="choice">
        <input type="checkbox" name="element" value={box} checked={checked} onChange={() => toggle(box)} />
        <span>{label}</span>
      </label>
    </li>
  );
}

/** Every requested document with its elements, a box for each one offered. */
export function RequestedDocuments({
  documents,
  ticked,
  toggle,
}: {
  documents: readonly ConsentDocument[];
  ticked: ReadonlySet<string>;
  toggle: (box: string) => void;
}) {
  return (
    <>
      {documents.map((d) => (
        <section key={d.docType} data-doctype={d.docType}>
          <h2>
            {d.name === null ? (
              <code>{d.docType}</code>
            ) : (
              <>
                {d.name.ja} <small>{d.name.en}</small>
              </>
            )}
          </h2>
          {d.available ? (
            <ul class="asked">
              {d.elements.map((e) => (
                <ElementLine
                  key={`${e.namespace}/${e.identifier}`}
                  docType={d.docType}
                  e={e}
                  checked={ticked.has(boxOf(d.docType, e))}
                  toggle={toggle}
                />
              ))}
            </ul>
          ) : (
            <p class="warn" data-available="no">
              この電話にはこの種類の有効な書類がありません{' '}
              <small>this phone holds no such document in force</small>
            </p>
          )}
        </section>
      ))}
    </>
  );
}

/** The label a screen showed for an element (its identifier when the screen had none). */
function labelOf(
  documents: readonly ConsentDocument[],
  docType: string,
  namespace: string,
  identifier: string,
): Label {
  return (
    documents
      .find((d) => d.docType === docType)
      ?.elements.find((e) => e.namespace === namespace && e.identifier === identifier)?.label ?? {
      ja: identifier,
      en: identifier,
    }
  );
}

/** What was sent, per document its elements' names (`data-disclosed`). */
export function DisclosedElements({
  documents,
  disclosed,
}: {
  documents: readonly ConsentDocument[];
  disclosed: Readonly<Record<string, readonly (readonly [string, string])[]>>;
}) {
  return (
    <>
      {Object.entries(disclosed).map(([docType, pairs]) => {
        const name = documents.find((d) => d.docType === docType)?.name;
        return (
          <section key={docType}>
            <h2>{name ? `${name.ja} / ${name.en}` : docType}</h2>
            <ul>
              {pairs.map(([ns, id]) => {
                const label = labelOf(documents, docType, ns, id);
                return (
                  <li key={`${ns}/${id}`} data-disclosed={id}>
                    {label.ja} <small>{label.en}</small>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </>
  );
}
