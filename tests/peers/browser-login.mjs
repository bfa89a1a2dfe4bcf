// Drives Debian's chromium (headless, through playwright-core) through an
// authorization: open the URL, sign in on oidc-provider's own login page,
// approve its consent page, and follow the redirect to the client's
// loopback receiver. Writes one JSON line to stdout: where it ended (origin
// and path only: the query holds the authorization code) and the text of
// the page shown there. Used by browser-shim/xdg-open.
//
// Usage: node browser-login.mjs URL   (CHROMIUM overrides /usr/bin/chromium)

import { chromium } from 'playwright-core';

const start = process.argv[2];
if (!start) {
  throw new Error('usage: browser-login.mjs URL');
}
// playwright-core starts chromium with a fresh temporary profile.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const report = { steps: [] };
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(15000);
  // Nothing may leave the machine: refuse every request not to loopback
  // (oidc-provider's pages import a web font).
  await page.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
  });
  await page.goto(start);
  for (let i = 0; i < 6; i++) {
    if (await page.locator('input[name="login"]').count()) {
      report.steps.push('login');
      await page.fill('input[name="login"]', 'test-user');
      await page.fill('input[name="password"]', 'any password');
      await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
    } else if (await page.locator('input[name="prompt"][value="consent"]').count()) {
      report.steps.push('consent');
      await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
    } else {
      break;
    }
    await page.waitForLoadState('load');
  }
  const u = new URL(page.url());
  report.final = u.origin + u.pathname;
  report.text = (await page.innerText('body')).trim();
} catch (err) {
  report.error = String(err);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
