/**
 * The sandbox's first start: an empty register gets the seeded test residents (seed-residents.ts), and
 * every seeded resident without a card gets one, with its card file. Later starts find them and issue
 * nothing — the card files on disk stay the residents' cards. Safe when several instances start at once:
 * residents are inserted idempotently and a card that a racing instance issued first is left to it.
 */
import type { ScryptParams } from '@mynakit/jpki';
import { access } from 'node:fs/promises';
import { cardFilePath } from '../cards/card-file.js';
import { type CardIssuerDeps, issueCard } from '../cards/issue-card.js';
import { IssuerError } from '../errors.js';
import { seedQualifications } from '../insurance/seed-qualifications.js';
import { SEED_RESIDENTS, seedResidents } from './seed-residents.js';

/** What seeding found and did. */
export interface SandboxSeedResult {
  /** Residents registered now (0 on later starts). */
  readonly seededResidents: number;
  /** Cards issued now (0 on later starts). */
  readonly issuedCards: number;
  /** Where the card files are. */
  readonly cardDirectory: string;
  /** The seeded residents' card files that exist, by resident id. */
  readonly cardFiles: ReadonlyMap<string, string>;
  /** Seeded residents whose card is registered but whose card file is missing (deleted by hand). */
  readonly missingCardFiles: readonly string[];
  /** Health-insurance qualifications registered now in the sandbox insurer registry (0 on later starts). */
  readonly seededQualifications: number;
}

/**
 * Seeds the sandbox register when it is empty and issues a card to each seeded resident that has none.
 * ISSUER_CARD_FILE when the deployment has no card directory.
 */
export async function seedSandbox(
  deps: CardIssuerDeps,
  options: { now: Date; pinKdf?: ScryptParams },
): Promise<SandboxSeedResult> {
  const cardDirectory = deps.config.cardDirectory;
  if (cardDirectory === undefined)
    throw new IssuerError('ISSUER_CARD_FILE', 'no card directory is configured (sandbox only)');
  const at = options.now.getTime();
  const seededResidents =
    (await deps.store.residents.count()) === 0 ? await seedResidents(deps.store.residents, at) : 0;

  let issuedCards = 0;
  const cardFiles = new Map<string, string>();
  const missingCardFiles: string[] = [];
  for (const seed of SEED_RESIDENTS) {
    if (!(await deps.store.residents.get(seed.id))) continue;
    if ((await deps.store.cards.listForResident(seed.id)).length === 0) {
      try {
        await issueCard(deps, seed.id, {
          now: options.now,
          ...(options.pinKdf === undefined ? {} : { pinKdf: options.pinKdf }),
        });
        issuedCards++;
      } catch (e) {
        // Another instance issued this resident's card a moment ago: its card file is the card.
        if (!(e instanceof IssuerError && e.code === 'ISSUER_CARD_CONFLICT')) throw e;
      }
    }
    const path = cardFilePath(cardDirectory, seed.id);
    if (await exists(path)) cardFiles.set(seed.id, path);
    else missingCardFiles.push(seed.id);
  }
  const seededQualifications = await seedQualifications(
    deps.store,
    SEED_RESIDENTS.map((seed) => seed.id),
    options.now,
  );
  return { seededResidents, issuedCards, cardDirectory, cardFiles, missingCardFiles, seededQualifications };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
