/** The phones that answer through the labelled bridge: a choice, and the line naming the one that answered. */
import type { Phone } from '../api';

const familyName = (p: Phone) => (p.family === 'android' ? 'Android' : 'iPhone');

export function AnsweredBy({ phone }: { phone: Phone }) {
  return (
    <span data-answered-by={phone.answeredBy} data-phone={phone.id}>
      <strong>{phone.id}</strong> ({familyName(phone)}) — 電話エミュレータ、ブリッジ経由{' '}
      <small>phone emulator, through the bridge</small>
    </span>
  );
}

export function PhoneChoice({
  phones,
  chosen,
  onChoose,
}: {
  phones: readonly Phone[];
  chosen: string;
  onChoose: (id: string) => void;
}) {
  return (
    <fieldset>
      {phones.map((p) => (
        <label class="choice" key={p.id}>
          <input
            type="radio"
            name="phone"
            value={p.id}
            checked={chosen === p.id}
            onChange={() => onChoose(p.id)}
          />
          <AnsweredBy phone={p} />
        </label>
      ))}
    </fieldset>
  );
}
