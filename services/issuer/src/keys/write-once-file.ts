/** Files written once, atomically, by whichever of several racing writers comes first: @mynakit/http-kit. */
export { readFileIfExists, readOrCreateFile, writeFileOnce } from '@mynakit/http-kit';
