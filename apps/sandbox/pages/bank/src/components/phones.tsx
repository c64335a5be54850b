/** The phone emulators that answer through the labelled bridge: a choice, and the line naming one. */
import type { Phone } from '../api';

const familyName = (p: Phone) => (p.family === 'android' ? 'Android' : 'iPhone');

export function PhoneName({ phone }: { phone: Phone }) {
  return (
    <>
      <strong>{phone.id}</strong> ({familyName(phone)}) — 電話エミュレータ、ブリッジ経由{' '}
      <small>phone emulator, through the bridge</small>
    </>
  );
}

/** One radio per phone (`name="phone"`, the phone's id as value). */
export function PhoneRadios({
  phones,
  chosen,
  onChoose,
}: {
  phones: readonly Phone[];
  chosen: string;
  onChoose: (id: string) => void;
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
          <span>
            <PhoneName phone={p} />
          </span>
        </label>
      ))}
    </>
  );
}
