import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with the flags that keep it off the (closed) network. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A CDP virtual authenticator (CTAP2, internal, resident keys, user verification): real passkeys in headless Chromium. */
export async function addVirtualAuthenticator(context: BrowserContext, page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

/** A TOTP code from Debian's oathtool (an independent implementation) for a given moment. */
export function oathtoolCode(secret: string, at: Date): string {
  return execFileSync('oathtool', ['--totp', '-b', '-N', `@${Math.floor(at.getTime() / 1000)}`, secret], { encoding: 'utf8' }).trim();
}

/** The root account signs in on /root/login and lands on the console home. */
export async function rootSignIn(page: Page, base: string, root: { accountId: string; rootPassword: string }): Promise<void> {
  await page.goto(`${base}/root/login`);
  await page.getByLabel('Account ID or alias').fill(root.accountId);
  await page.getByLabel('Password').fill(root.rootPassword);
  await page.getByRole('button', { name: 'Log On', exact: true }).click();
  await page.waitForURL(`${base}/console`);
}

/** A RAM user logs on up to the console, skipping the optional MFA binding and changing the password if asked. */
export async function ramUserLogon(page: Page, base: string, userPrincipalName: string, password: string, options: { newPassword?: string } = {}): Promise<void> {
  await page.goto(`${base}/login.htm`);
  await page.getByLabel('User name').fill(userPrincipalName);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log On', exact: true }).click();
  await page.getByRole('button', { name: 'Skip for Now' }).click();
  if (options.newPassword) {
    await page.getByLabel('New password', { exact: true }).fill(options.newPassword);
    await page.getByLabel('Confirm new password').fill(options.newPassword);
    await page.getByRole('button', { name: 'Change Password' }).click();
  }
  await page.waitForURL(`${base}/console`);
}
