/**
 * The signed-in page (マイページ): the opaque subject id, the account, the phone that answered through the
 * bridge, the certificate (no personal data) and the checks at sign-in. The page knows no name, address,
 * birth date or sex: the user-authentication certificate holds none.
 */
import { useState } from 'preact/hooks';
import { ChecksTable, Verdict } from '../../../shared/checks';
import { AnsweredBy } from '../../../shared/phones';
import { RecordLine } from '../../../shared/result-parts';
import { type SignedIn, signOut } from '../api';

export function MyPage({ session, onSignedOut }: { session: SignedIn; onSignedOut: () => void }) {
  const [busy, setBusy] = useState(false);
  const cert = session.certificate;
  return (
    <>
      <section class="card">
        <h2>
          マイページ <small>My page</small>
        </h2>
        <p data-signed-in={session.subjectId}>
          ログイン中 <small>signed in</small> — 利用者 <small>user</small>:{' '}
          <code data-subject-id>{session.subjectId}</code>
        </p>
        <p class="small">
          この識別子は利用者証明用電子証明書の主体名(CN)です。証明書には氏名・住所・生年月日・性別は入っていないので、このポータルはそれらを知りません。
          <br />
          <small>
            This identifier is the subject name (CN) of the user-authentication certificate. The certificate
            holds no name, address, birth date or sex, so this portal does not know them.
          </small>
        </p>
        <dl class="facts">
          <dt>
            アカウント作成 <small>account created</small>
          </dt>
          <dd>{session.account.createdAt}</dd>
          <dt>
            ログイン回数 <small>sign-ins</small>
          </dt>
          <dd data-sign-ins={String(session.account.signIns)}>{session.account.signIns}</dd>
          <dt>
            今回のログイン <small>this sign-in</small>
          </dt>
          <dd>{session.signedInAt}</dd>
          <dt>
            電話 <small>phone</small>
          </dt>
          {session.phone === null ? (
            <dd data-how="link">
              QR コード・リンクで(電話が直接応答){' '}
              <small>by QR code or link (the phone answered directly)</small>
            </dd>
          ) : (
            <dd data-how={session.phone.how}>
              <AnsweredBy phone={session.phone} /> —{' '}
              {session.phone.how === 'pin' ? (
                <>
                  暗証番号 <small>auth PIN</small>
                </>
              ) : (
                <>
                  生体認証 <small>biometric</small>
                </>
              )}
            </dd>
          )}
        </dl>
        <button
          type="button"
          data-sign-out
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await signOut();
            } finally {
              setBusy(false);
              onSignedOut();
            }
          }}
        >
          ログアウト / Sign out
        </button>
      </section>
      {cert ? (
        <section class="card">
          <h2>
            利用者証明用電子証明書 <small>User-authentication certificate</small>
          </h2>
          <dl class="facts">
            <dt>
              シリアル番号 <small>serial number</small>
            </dt>
            <dd data-certificate-serial={cert.serialNumber}>
              <code>{cert.serialNumber}</code>
            </dd>
            <dt>
              発行者 <small>issuer</small>
            </dt>
            <dd>{cert.issuer}</dd>
            <dt>
              主体 CN <small>subject CN</small>
            </dt>
            <dd>
              <code>{cert.subjectCommonName ?? '—'}</code>
            </dd>
            <dt>
              有効期限 <small>not after</small>
            </dt>
            <dd>{cert.notAfter}</dd>
            <dt>
              SHA-256 <small>fingerprint</small>
            </dt>
            <dd>
              <code>{cert.fingerprint256}</code>
            </dd>
          </dl>
        </section>
      ) : null}
      <section class="card">
        <h2>
          ログイン時の検証 <small>Checks at sign-in</small>
        </h2>
        <Verdict answer={session} />
        <ChecksTable answer={session} />
        <h3>
          本人確認方法 <small>KYC method</small>
        </h3>
        {session.method ? (
          <p data-method={session.method.id}>{session.method.letter}</p>
        ) : (
          <p data-method="none">
            該当なし <small>none</small>:{' '}
            {session.methodReasons.length > 0
              ? session.methodReasons.map((r, i) => (
                  <span key={r}>
                    {i > 0 ? ', ' : ''}
                    <code>{r}</code>
                  </span>
                ))
              : '—'}
          </p>
        )}
        <p class="small muted">
          ログインは本人確認(KYC)ではありません。利用者証明用電子証明書は「この証明書の持ち主であること」だけを示し、氏名・住所・生年月日・性別は入っていません。
          <br />
          <small>
            A sign-in is no identity verification (KYC): the user-authentication certificate shows only that
            the holder of this certificate is here; it holds no name, address, birth date or sex.
          </small>
        </p>
        <RecordLine result={session} />
      </section>
    </>
  );
}
