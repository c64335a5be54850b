/** The phone emulators that answer through the labelled bridge: the line naming one, and a choice of them. */

/** A phone emulator as the sandbox's servers list it. */
export interface BridgePhone {
  id: string;
  family: string;
  answeredBy?: string;
}

/** A phone as a relying party's page lists it: it answers through the bridge. */
export interface ListedPhone extends BridgePhone {
  family: 'iphone' | 'android';
  answeredBy: 'bridge';
}

/**
 * A phone whose user-authentication key unlocks on its own screen (`unlockOn: 'phone'`) with the auth PIN or
 * the biometric standing in for it (`pin-or-biometric`: the portal) or with Face ID only (`biometric`: the
 * clinic's iPhone), or with the auth PIN typed on the page (`pin` on `page`: the clinic's reader, Android).
 */
export interface UnlockingPhone extends ListedPhone {
  unlock: 'pin' | 'biometric' | 'pin-or-biometric';
  unlockOn: 'phone' | 'page';
}

export function phoneFamily(phone: { family: string }): string {
  return phone.family === 'android' ? 'Android' : 'iPhone';
}

/** 「<id> (<family>) — 電話エミュレータ、ブリッジ経由」 */
export function PhoneName({ phone }: { phone: BridgePhone }) {
  return (
    <>
      <strong>{phone.id}</strong> ({phoneFamily(phone)}) — 電話エミュレータ、ブリッジ経由{' '}
      <small>phone emulator, through the bridge</small>
    </>
  );
}

/** The phone's name marked with its id and, unless `unmarked`, with how it answered (`data-answered-by`). */
export function AnsweredBy({ phone, unmarked = false }: { phone: BridgePhone; unmarked?: boolean }) {
  return (
    <span {...(unmarked ? {} : { 'data-answered-by': phone.answeredBy })} data-phone={phone.id}>
      <PhoneName phone={phone} />
    </span>
  );
}

/**
 * One radio per phone (`name="phone"`, the phone's id as value), each named by `AnsweredBy` when `marked`,
 * else by its plain name.
 */
export function PhoneRadios({
  phones,
  chosen,
  onChoose,
  marked = false,
}: {
  phones: readonly BridgePhone[];
  chosen: string;
  onChoose: (id: string) => void;
  marked?: boolean;
}) {
  return (
    <>
      {phones.map((p) => (
        <label class="choice" key={p.id}>
          <input
            type="radio"
            name="phone"
            value={p.id}
            checked={chosen === p.id}
            onChange={() => onChoose(p.id)}
          />
          {marked ? (
            <AnsweredBy phone={p} />
          ) : (
            <span>
              <PhoneName phone={p} />
            </span>
          )}
        </label>
      ))}
    </>
  );
}

/**
 * Why a phone emulator answers through the bridge (`authenticateWithJpki`): what this environment lacks
 * (`missing`) and what the page adds after (`rest`), Japanese then English.
 */
export function JpkiBridgeNote({
  missing,
  rest,
}: {
  missing: readonly [string, string];
  rest: readonly [string, string];
}) {
  return (
    <p class="bridge">
      {missing[0]}電話エミュレータがブリッジ経由で応答します(<code>authenticateWithJpki</code>)。{rest[0]}
      <br />
      <small>
        {missing[1]}: the phone emulator answers through an explicit bridge (<code>authenticateWithJpki</code>
        ){rest[1]}
      </small>
    </p>
  );
}
