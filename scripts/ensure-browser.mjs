// Makes sure the end-to-end tests have what they need: Debian's Chromium and a Japanese font
// (pages show 氏名 and 住所; without a CJK font screenshots show boxes). As root on Debian it installs
// them; otherwise it says exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.MYNAKIT_CHROMIUM ?? '/usr/bin/chromium';
const PACKAGES = ['chromium', 'fonts-ipafont-gothic'];

function hasJapaneseFont() {
  const res = spawnSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8' });
  return res.status === 0 && /IPA/i.test(res.stdout);
}

function missingPackages() {
  const missing = [];
  if (!existsSync(CHROMIUM_PATH)) missing.push('chromium');
  if (!hasJapaneseFont()) missing.push('fonts-ipafont-gothic');
  return missing;
}

export function ensureBrowser({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const missing = missingPackages();
  if (missing.length === 0) return true;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    log(
      `The end-to-end tests need Debian's Chromium and a Japanese font. Install them with:\n` +
        `  sudo apt-get update && sudo apt-get install -y ${PACKAGES.join(' ')}`,
    );
    return false;
  }
  log(`Installing ${missing.join(', ')} for the end-to-end tests (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES, 'fontconfig'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  const still = missingPackages();
  if (still.length > 0) {
    log(`Still missing after apt-get: ${still.join(', ')}`);
    return false;
  }
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(ensureBrowser() ? 0 : 1);
}
