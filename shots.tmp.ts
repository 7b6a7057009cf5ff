import { chromium } from 'playwright-core';
import { startTestSite } from './test/support/test-app.js';
import { setupOwner } from './test/support/staff.js';
import { chromiumArgs } from './test/support/browser.js';

const site = await startTestSite('sqlite', { listen: true });
const owner = await setupOwner(site);
const keys = await site.app.integrations.add({ name: 'Static site generator', createdBy: null });
const browser = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', args: [...chromiumArgs] });
const [name, value] = owner.cookie.split('=');
for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
  const context = await browser.newContext({ viewport, locale: 'en' });
  await context.addCookies([{ name: name!, value: value!, url: site.url }]);
  const page = await context.newPage();
  for (const [file, url] of [
    ['integrations', '/admin/integrations'],
    ['integration', `/admin/integrations/${keys.integration.id}`],
    ['import', '/admin/import'],
    ['export', '/admin/export'],
    ['story-genre', '/en/'],
  ] as const) {
    await page.goto(site.url + url);
    await page.screenshot({ path: `/tmp/shots/${file}-${label}.png`, fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    console.log(label, file, 'scrollWidth', width);
  }
  await context.close();
}
await browser.close();
await site.close();
