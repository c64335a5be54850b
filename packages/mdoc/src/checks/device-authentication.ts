/**
 * Device authentication of a presented document — `device.signature` or `device.mac` (ISO/IEC
 * 18013-5:2021 §9.1.3). Both cover
 *
 *   DeviceAuthenticationBytes = #6.24(bstr .cbor ["DeviceAuthentication", SessionTranscript, DocType,
 *                                                 DeviceNameSpacesBytes])
 *
 * as a detached payload, written in place into the COSE Sig_structure / MAC_structure (@mynakit/cose)
 * from the caller's transcript and the DeviceNameSpacesBytes exactly as received.
 *
 * - `deviceSignature` (§9.1.3.6): a COSE_Sign1 under MSO deviceKeyInfo.deviceKey. Some wallets attach
 *   the payload; that is accepted only when it is byte-equal to the DeviceAuthenticationBytes.
 * - `deviceMac` (§9.1.3.5): a COSE_Mac0, HMAC 256/256 under EMacKey = HKDF-SHA-256(ECDH(reader
 *   ephemeral private key, device key), salt = SHA-256(SessionTranscriptBytes), "EMacKey"); without
 *   the reader's private key the check is `undetermined`.
 *
 * Elements the device signs itself count only when keyAuthorizations allow them (§9.1.2.4).
 */
import type { KeyObject } from 'node:crypto';
import { bytesEqual, type CborValue } from '@mynakit/cbor';
import {
  CoseAlgorithm,
  type CoseMessage,
  criticalHeaderProblem,
  deriveMdocKey,
  HeaderLabel,
  macAlgorithm,
  macStructure0Of,
  macVerifies,
  protectedAlgorithm,
  sigStructure1Of,
  UNDERSTOOD_HEADER_LABELS,
  verifySignature,
} from '@mynakit/cose';
import type { Check } from '@mynakit/report';
import { deviceAuthenticationBytes, deviceAuthenticationWriter } from '../device-authentication.js';
import { isDeviceSignedElementAuthorized } from '../device-key-info.js';
import type { ReceivedDocument } from '../device-response.js';
import { CheckMemo } from '../internal/check-memo.js';

const PASSED = {
  'device.signature': new CheckMemo('device.signature'),
  'device.mac': new CheckMemo('device.mac'),
};

import { publicKeyFromCoseKey } from '../internal/keys.js';
import { getOwn, setOwn } from '../internal/own.js';
import { readCose } from '../internal/shape.js';
import { mdocSignatureAlgorithm } from '../internal/signing.js';
import type { ElementValues } from '../verified-document.js';

/**
 * Header labels device authentication processes, for the `crit` rule (RFC 9052 §3.1): those of
 * @mynakit/cose but x5chain — the key is the MSO's, so a certificate chain is not looked at.
 */
const DEVICE_AUTH_LABELS: ReadonlySet<CborValue> = new Set(
  [...UNDERSTOOD_HEADER_LABELS].filter((l) => l !== HeaderLabel.x5chain),
);
/** HMAC 256/256 (RFC 9053 §3.1), the only MAC ISO 18013-5 uses for deviceMac (§9.1.3.5). */
const HMAC_256_256 = macAlgorithm(CoseAlgorithm.HMAC_256_256);
const NO_AAD = new Uint8Array(0);
/** To-be-signed bytes are handed to node at once and dropped: written into cose's shared buffer. */
const TRANSIENT = { transient: true } as const;

/** The session a device authenticates to: its transcript and, for deviceMac, the reader's key. */
export interface DeviceSession {
  /** SessionTranscriptBytes (tag 24): built only where needed (deviceMac, an attached payload). */
  readonly sessionTranscriptBytes: Uint8Array;
  /** The bare SessionTranscript (what DeviceAuthentication embeds). */
  readonly transcript: Uint8Array;
  readonly readerKey: KeyObject | undefined;
  /** Strict policy: device-signed elements that keyAuthorizations do not allow fail the check. */
  readonly strict: boolean;
}

/** The device check of a document, and the elements the device signed (when it passed). */
export interface DeviceOutcome {
  readonly check: Check;
  readonly deviceElements?: ElementValues;
}

/** What the device signed or MACed verified over, or why not. */
type Verification = { readonly what: string; readonly ok: boolean } | { readonly check: Check };

/** `device.signature` or `device.mac` of a read document. */
export function checkDeviceAuthentication(doc: ReceivedDocument, session: DeviceSession): DeviceOutcome {
  const device = doc.deviceSigned;
  const id = device.deviceAuth.kind === 'signature' ? 'device.signature' : 'device.mac';
  const { deviceKeyInfo } = doc.issuerSigned.mso;
  let deviceKey: KeyObject;
  try {
    deviceKey = publicKeyFromCoseKey(deviceKeyInfo.deviceKey);
  } catch (e) {
    const detail = `the MSO device key is unusable: ${(e as Error).message}`;
    return { check: { id, status: 'failed', detail } };
  }
  const { deviceElements, unauthorised } = authorisedDeviceElements(doc);
  const v =
    device.deviceAuth.kind === 'signature'
      ? verifyDeviceSignature(doc, deviceKey, session)
      : verifyDeviceMac(doc, deviceKey, session);
  if ('check' in v) return { check: v.check };
  if (!v.ok) return { check: { id, status: 'failed', detail: `${v.what} does not verify` } };
  const note = unauthorised.length
    ? `; device-signed elements not authorised by keyAuthorizations were ignored: ${unauthorised.join(', ')}`
    : '';
  if (session.strict && unauthorised.length > 0)
    return { check: { id, status: 'failed', detail: `${v.what} verifies${note}` } };
  const check: Check =
    note === ''
      ? (PASSED[id].get(v.what) ?? PASSED[id].remember(v.what, `${v.what} verifies`))
      : { id, status: 'passed', detail: `${v.what} verifies${note}` };
  return deviceElements ? { check, deviceElements } : { check };
}

/** Nothing signed by the device: nothing to authorise (most responses). */
const NO_DEVICE_ELEMENTS: { readonly unauthorised: readonly string[] } = Object.freeze({
  unauthorised: Object.freeze([]),
});

/** DeviceSigned elements that keyAuthorizations allow (§9.1.2.4), and the names of the others. */
function authorisedDeviceElements(doc: ReceivedDocument): {
  readonly deviceElements?: ElementValues;
  readonly unauthorised: readonly string[];
} {
  if (doc.deviceSigned.nameSpaces.size === 0) return NO_DEVICE_ELEMENTS;
  const authorizations = doc.issuerSigned.mso.deviceKeyInfo.keyAuthorizations;
  const unauthorised: string[] = [];
  let deviceElements: ElementValues | undefined;
  for (const [ns, items] of doc.deviceSigned.nameSpaces) {
    for (const [elementId, value] of items) {
      if (!isDeviceSignedElementAuthorized(authorizations, ns, elementId)) {
        unauthorised.push(`${ns}/${elementId}`);
        continue;
      }
      deviceElements ??= {};
      let out = getOwn(deviceElements, ns);
      if (!out) {
        out = {};
        setOwn(deviceElements, ns, out);
      }
      setOwn(out, elementId, value);
    }
  }
  return deviceElements ? { deviceElements, unauthorised } : { unauthorised };
}

/** The device's COSE message, or the failed check saying why it is not one or is refused. */
function deviceMessage(doc: ReceivedDocument, id: string, kind: 'Sign1' | 'Mac0'): CoseMessage | Check {
  const auth = doc.deviceSigned.deviceAuth;
  const name = kind === 'Sign1' ? 'deviceSignature' : 'deviceMac';
  let m: CoseMessage;
  try {
    m = auth.message ?? readCose(auth.value, kind, name);
  } catch (e) {
    return { id, status: 'failed', detail: (e as Error).message };
  }
  const crit = criticalHeaderProblem(m.protectedHeaders, DEVICE_AUTH_LABELS, m.unprotectedHeaders);
  return crit ? { id, status: 'failed', detail: `${name} is refused: ${crit}` } : m;
}

/** An attached payload must be the DeviceAuthenticationBytes themselves (only then are they built). */
function attachedPayloadDiffers(m: CoseMessage, doc: ReceivedDocument, session: DeviceSession): boolean {
  return (
    m.payload !== null &&
    !bytesEqual(
      m.payload,
      deviceAuthenticationBytes(
        session.sessionTranscriptBytes,
        doc.docType,
        doc.deviceSigned.nameSpacesBytes.raw,
      ),
    )
  );
}

function verifyDeviceSignature(
  doc: ReceivedDocument,
  deviceKey: KeyObject,
  session: DeviceSession,
): Verification {
  const id = 'device.signature';
  const sign1 = deviceMessage(doc, id, 'Sign1');
  if (!('signatureOrTag' in sign1)) return { check: sign1 };
  if (attachedPayloadDiffers(sign1, doc, session)) {
    const detail =
      'deviceSignature carries an attached payload that is not the DeviceAuthenticationBytes (detached payload required)';
    return { check: { id, status: 'failed', detail } };
  }
  const algId = protectedAlgorithm(sign1);
  const alg = mdocSignatureAlgorithm(algId);
  if (alg === undefined) {
    const detail = `unsupported or missing algorithm in the protected header (${String(algId)})`;
    return { check: { id, status: 'failed', detail } };
  }
  const payload = deviceAuthenticationWriter(
    session.transcript,
    doc.docType,
    doc.deviceSigned.nameSpacesBytes.raw,
  );
  const tbs = sigStructure1Of(sign1.protectedBytes, NO_AAD, payload, TRANSIENT);
  const ok = verifySignature(alg, deviceKey, tbs, sign1.signatureOrTag);
  return { ok, what: signatureWhat(alg.name, sign1.payload !== null) };
}

/** What a device signature covers, said the same way every time (one string per algorithm). */
const signatureWhats = new Map<string, string>();
function signatureWhat(alg: string, attached: boolean): string {
  const key = attached ? `${alg}+` : alg;
  let what = signatureWhats.get(key);
  if (what === undefined) {
    what = `${alg} device signature over DeviceAuthenticationBytes${attached ? ' (attached, byte-equal)' : ''}`;
    signatureWhats.set(key, what); // bounded: the algorithms of mdoc, twice
  }
  return what;
}

function verifyDeviceMac(doc: ReceivedDocument, deviceKey: KeyObject, session: DeviceSession): Verification {
  const id = 'device.mac';
  const mac0 = deviceMessage(doc, id, 'Mac0');
  if (!('signatureOrTag' in mac0)) return { check: mac0 };
  if (protectedAlgorithm(mac0) !== CoseAlgorithm.HMAC_256_256)
    return { check: { id, status: 'failed', detail: 'deviceMac algorithm must be HMAC 256/256 (5)' } };
  if (attachedPayloadDiffers(mac0, doc, session)) {
    const detail = 'deviceMac carries an attached payload that is not the DeviceAuthenticationBytes';
    return { check: { id, status: 'failed', detail } };
  }
  if (!session.readerKey) {
    const detail = "deviceMac cannot be checked without the reader's ephemeral private key";
    return { check: { id, status: 'undetermined', detail } };
  }
  let eMacKey: Uint8Array;
  try {
    eMacKey = deriveMdocKey(session.readerKey, deviceKey, session.sessionTranscriptBytes, 'EMacKey');
  } catch (e) {
    return { check: { id, status: 'failed', detail: `EMacKey cannot be derived: ${(e as Error).message}` } };
  }
  const payload = deviceAuthenticationWriter(
    session.transcript,
    doc.docType,
    doc.deviceSigned.nameSpacesBytes.raw,
  );
  const tbm = macStructure0Of(mac0.protectedBytes, NO_AAD, payload, TRANSIENT);
  return {
    ok: macVerifies(HMAC_256_256, eMacKey, tbm, mac0.signatureOrTag),
    what: 'HMAC 256/256 device MAC (EMacKey) over DeviceAuthenticationBytes',
  };
}
