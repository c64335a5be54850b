/**
 * The counter: one form per phone emulator — what the customer declares (取引時確認), and the buttons that
 * read the phone in person or let the customer refuse on it (a test of the refusal).
 */
import {
  DeclarationFields,
  type DeclarationInput,
  type DeclarationLists,
} from '../../../shared/declaration-fields';
import { AnsweredBy } from '../../../shared/phones';
import type { Phone } from '../api';

export function PhoneForm({
  phone,
  lists,
  declared,
  onDeclare,
  busy,
  onRead,
}: {
  phone: Phone;
  lists: DeclarationLists;
  declared: DeclarationInput;
  onDeclare: (v: DeclarationInput) => void;
  busy: boolean;
  onRead: (approves: boolean) => void;
}) {
  return (
    <form
      class="phone card"
      data-phone-form={phone.id}
      onSubmit={(e) => {
        e.preventDefault();
        const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
        onRead(submitter?.value !== 'failed');
      }}
    >
      <p>
        <AnsweredBy phone={phone} unmarked />
      </p>
      <p class="small">
        お客様の申告(取引時確認) <small>what the customer declares (取引時確認)</small>
      </p>
      <DeclarationFields lists={lists} value={declared} onChange={onDeclare} prompt={false} />
      <div class="face-buttons">
        <button type="submit" name="biometric" value="matched" disabled={busy}>
          電話を読み取る / Read the phone
        </button>
        <button type="submit" name="biometric" value="failed" class="decline" disabled={busy}>
          お客様が承認しない(試験用)/ the customer does not approve (test)
        </button>
      </div>
    </form>
  );
}
