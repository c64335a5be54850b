/**
 * The counter: one form per phone emulator — what the customer declares (取引時確認) and the button that
 * reads the phone in person. While the read waits for the customer, the form shows the waiting line with
 * the link to the phone's screen: the customer approves there, or declines.
 */
import {
  DeclarationFields,
  type DeclarationInput,
  type DeclarationLists,
} from '../../../shared/declaration-fields';
import { PhoneWaiting } from '../../../shared/phone-waiting';
import { AnsweredBy } from '../../../shared/phones';
import type { Phone } from '../api';

export function PhoneForm({
  phone,
  lists,
  declared,
  onDeclare,
  busy,
  waiting,
  onRead,
}: {
  phone: Phone;
  lists: DeclarationLists;
  declared: DeclarationInput;
  onDeclare: (v: DeclarationInput) => void;
  busy: boolean;
  /** This phone's read waits for the customer's answer on the phone. */
  waiting: boolean;
  onRead: () => void;
}) {
  return (
    <form
      class="phone card"
      data-phone-form={phone.id}
      onSubmit={(e) => {
        e.preventDefault();
        onRead();
      }}
    >
      <p>
        <AnsweredBy phone={phone} unmarked />
      </p>
      <p class="small">
        お客様の申告(取引時確認) <small>what the customer declares (取引時確認)</small>
      </p>
      <DeclarationFields lists={lists} value={declared} onChange={onDeclare} prompt={false} />
      <button type="submit" data-read disabled={busy}>
        電話を読み取る / Read the phone
      </button>
      {waiting ? <PhoneWaiting phone={phone} /> : null}
    </form>
  );
}
