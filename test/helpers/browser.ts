import { type Browser, chromium } from 'playwright-core';

/**
 * Launches Debian's Chromium headless with the flags this closed network needs: without the
 * background-networking flags Chromium keeps dialling Google's hosts and gets refused. Playwright gives
 * every launch a fresh, empty profile of its own.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: process.env.MYNAKIT_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
    },
  };
}
