/**
 * What works where — the support matrix relying parties asked to be told plainly (7th study group,
 * 2025-11-07). One table, rendered on the landing page and quoted in the README. Facts are dated: phone
 * and browser support moves, so each row says when it was last checked and on what source it rests
 * (DOMAIN.md tags: C confirmed, S secondary, I inference).
 */
export interface SupportRow {
  /** The channel a relying party uses. */
  readonly channel: string;
  /** 日本語 label. */
  readonly channelJa: string;
  /** iPhone (Apple Wallet / iOS). */
  readonly iphone: string;
  /** Android (Google Wallet / smartphone JPKI service). */
  readonly android: string;
  /** What the sandbox does for it. */
  readonly sandbox: string;
}

/** The date the rows were last checked against their sources. */
export const SUPPORT_MATRIX_CHECKED = '2026-12-02';

/** Channels against phone families, and what the sandbox simulates. */
export const SUPPORT_MATRIX: readonly SupportRow[] = [
  {
    channel: 'W3C Digital Credentials API, ISO/IEC 18013-7 Annex C (org-iso-mdoc)',
    channelJa: 'デジタルクレデンシャルAPI(Annex C)',
    iphone: 'Safari on iOS 26+, Apple Wallet record (since 2025-06-24) [C]',
    android: 'Chrome with a wallet that holds the record; the Android record is planned for autumn 2026 [C]',
    sandbox:
      'a labelled bridge hands the request to the phone emulator, whose consent screen names the requester and every element; the holder approves with the biometric or declines there; Chromium tests also use the CDP virtual wallet',
  },
  {
    channel: 'W3C Digital Credentials API, OpenID4VP 1.0 (openid4vp-v1-*)',
    channelJa: 'デジタルクレデンシャルAPI(OpenID4VP)',
    iphone: 'not accepted by Safari (Annex C only) [C]',
    android: 'Chrome on Android [C]',
    sandbox:
      "the bank's sessions carry it beside Annex C and the wallet engine answers it (tests); the sandbox's bridge answers Annex C",
  },
  {
    channel: 'Cross-device QR (OpenID4VP redirect, direct_post)',
    channelJa: 'QRコード(別端末)',
    iphone: 'depends on the wallet app [I]',
    android: 'depends on the wallet app [I]',
    sandbox:
      "the bank's page for another device shows the QR code (SVG) and its link; the phone emulator's scan screen takes the link in the camera's place (a labelled bridge), names the requester, asks consent and the biometric, and answers by direct_post.jwt; that party's client id names the sandbox's host (x509_san_dns:localhost)",
  },
  {
    channel: 'ISO/IEC 18013-5 proximity (bank counter, clinic reader)',
    channelJa: '対面(近接)読み取り',
    iphone: 'NFC engagement with a reader [S]',
    android: 'NFC engagement with a reader [S]',
    sandbox:
      "the verifier service is the reader (POST /sessions/proximity): the bank's branch counter and the clinic's desk read the phone emulator over a real 18013-5 session (engagement, session encryption); the request waits on the phone's consent screen for the holder's approval (or decline), and the verifier verifies and records it; the radio is simulated over a loopback WebSocket",
  },
  {
    channel: 'JPKI user authentication (利用者証明用電子証明書)',
    channelJa: 'JPKI 利用者証明',
    iphone: 'since 2025-06-24; Face ID may stand in for the PIN [C]',
    android: 'since 2023-05; a biometric may stand in for the PIN [C]',
    sandbox:
      "software secure area, keys encrypted at rest; biometric is a button; the bridge hands the portal's sign-in to the phone's consent screen, where the holder types the PIN or uses the biometric (never on the portal's page); at the clinic the Android holder types the PIN on the reader's page, the iPhone holder uses Face ID on the phone; 3 wrong PINs lock it",
  },
  {
    channel: 'JPKI signature (署名用電子証明書)',
    channelJa: 'JPKI 電子署名',
    iphone: 'since 2025-06-24; password only, never a biometric [C]',
    android: 'since 2023-05; password only, never a biometric [C]',
    sandbox:
      "same software secure area; the bridge hands the document to the phone's consent screen, where the holder types the password (never on the relying party's page); the counter locks after 5 tries",
  },
];
